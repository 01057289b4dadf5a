package io.spotlight.benchmark;

/** BENCHMARKS.md's sections: a run that measures one part replaces that part's section and keeps the others. */
public final class Sections {

    private Sections() {}

    /** The file with the section (from its "## " heading to the next one) replaced, or appended if it has none. */
    public static String splice(String file, String section) {
        String heading = section.substring(0, section.indexOf('\n'));
        int at = file.indexOf(heading);
        if (at < 0) {
            return file.stripTrailing() + "\n\n" + section;
        }
        int next = file.indexOf("\n## ", at + heading.length());
        return file.substring(0, at) + section + (next < 0 ? "" : "\n" + file.substring(next + 1));
    }
}
