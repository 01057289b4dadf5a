package io.spotlight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spotlight.testing.Repository;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The README's tables of settings, of methods and of scores are the declarations' own output
 * ({@code spotlight config --markdown}, {@code spotlight methods --markdown}): a setting, method or
 * parameter changed in the code and not in the README fails here. Paste the command's output over
 * the README's table to mend it.
 */
class ReadmeTablesTest {

    static String readme() throws Exception {
        return Files.readString(Repository.root().resolve("README.md"));
    }

    @Test
    void theSettingsTableIsTheSettingsDeclarations() throws Exception {
        assertThat(readme()).contains(ConfigCommand.markdown());
    }

    @Test
    void theMethodsTableIsTheMethodsDeclarations() throws Exception {
        assertThat(readme()).contains(MethodsCommand.markdown());
    }

    @Test
    void theScoresTableIsTheScoresDeclarations() throws Exception {
        assertThat(readme()).contains(MethodsCommand.scoresMarkdown());
    }
}
