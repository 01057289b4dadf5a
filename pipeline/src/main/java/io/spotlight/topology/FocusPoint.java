package io.spotlight.topology;

import io.spotlight.events.FocusStats;

/** One explanation's focus statistics on its way into a window, with its prediction id for evidence. */
record FocusPoint(FocusStats stats, String predictionId) {}
