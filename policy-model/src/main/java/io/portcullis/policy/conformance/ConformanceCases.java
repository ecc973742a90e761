package io.portcullis.policy.conformance;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Loads case files; unknown fields are errors, so a typo in a case never weakens it. */
public final class ConformanceCases {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private ConformanceCases() {}

    public static ConformanceCase load(Path file) throws IOException {
        return YAML.readValue(file.toFile(), ConformanceCase.class);
    }

    /** Every {@code *.yaml} in a folder, sorted by file name. */
    public static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    /**
     * The shared case folder: the {@code portcullis.conformance.dir} system property, else
     * {@code shared/conformance/cases} found by walking up from the working directory.
     */
    public static Path sharedCasesDir() {
        String prop = System.getProperty("portcullis.conformance.dir");
        if (prop != null && Files.isDirectory(Paths.get(prop))) {
            return Paths.get(prop).normalize();
        }
        List<Path> tried = new ArrayList<>();
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared/conformance/cases");
            tried.add(c);
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        throw new IllegalStateException("no shared/conformance/cases folder found; looked at " + tried);
    }
}
