package io.spotlight.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's checkout, found from any module's working directory (tests run in the module's). */
public final class Repository {

    private Repository() {}

    /** The directory holding models/ and schemas/. */
    public static Path root() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("models")) && Files.isDirectory(p.resolve("schemas"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root above " + here);
    }
}
