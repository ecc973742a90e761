package io.portcullis.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The output of {@code k8s/render-check} (every overlay through {@code kubectl kustomize}), parsed with
 * the fabric8 model. Rendering runs once per test JVM; without kubectl it fails, saying so.
 */
final class Rendered {

    static final Path MODULE = Path.of(System.getProperty("user.dir"));
    static final Path DIR = MODULE.resolve("target/rendered");
    static final ObjectMapper YAML = new YAMLMapper();
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static boolean rendered;

    private Rendered() {}

    /** Every object of the rendered overlay ({@code dev}, {@code production}) or of {@code crds}. */
    static synchronized List<HasMetadata> objects(String name) {
        render();
        Path file = DIR.resolve(name + ".yaml");
        if (!Files.isRegularFile(file)) {
            throw new AssertionError("k8s/render-check did not render " + file + "; is there an overlay " + name + "?");
        }
        List<HasMetadata> objects = new ArrayList<>();
        for (JsonNode doc : documents(file)) {
            objects.add(SERIALIZATION.unmarshal(doc.toString(), HasMetadata.class));
        }
        return objects;
    }

    static List<String> overlays() {
        try (var dirs = Files.list(MODULE.resolve("overlays"))) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> documents(Path file) {
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            return it.readAll().stream().filter(n -> n != null && !n.isNull() && !n.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void render() {
        if (rendered) {
            return;
        }
        try {
            Process p = new ProcessBuilder(MODULE.resolve("render-check").toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("k8s/render-check did not finish within 120 s:\n" + out);
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("k8s/render-check failed (exit " + p.exitValue() + "), nothing to parse:\n" + out);
            }
        } catch (IOException e) {
            throw new AssertionError("could not run k8s/render-check: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while rendering", e);
        }
        rendered = true;
    }
}
