package io.portcullis.conformance.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-line options. Parsing is pure: no file system or network access, so it is unit-tested.
 *
 * @param paths case folders or files; empty means the defaults (shared folder + {@code conformance/cases})
 * @param caseNames only cases with one of these names (empty: all)
 * @param token optional bearer token sent to every service
 */
public record Options(List<Path> paths, String policyApi, String nodeAgent, String fqdnCache, Duration readyTimeout,
                      List<String> caseNames, String token, boolean help) {

    public static final String USAGE = """
            usage: conformance-runner [options] [CASE_FOLDER_OR_FILE ...]

            Runs conformance case files against a live stack through the contract REST calls only.
            Default cases: the shared folder (../shared/conformance/cases, or -Dportcullis.conformance.dir)
            plus the project's own conformance/cases if it exists.

              --policy-api URL      policy-api base URL (default http://127.0.0.1:8081)
              --node-agent URL      node-agent base URL (default http://127.0.0.1:8086)
              --fqdn-cache URL      fqdn-cache-service base URL (default http://127.0.0.1:8084)
              --ready-timeout DUR   how long to wait for every endpoint to be ready after a step
                                    (default 30s; forms: 500ms, 30s, 2m, or plain seconds)
              --case NAME           run only the case with this name (repeatable)
              --token T             send "Authorization: Bearer T" to every service
              -h, --help            this text

            Exit status: 0 every check passed, 1 something failed, 2 bad usage or the stack does not answer.
            """;

    /** Thrown for bad arguments; the message says which. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }

    public static Options parse(String... args) throws UsageException {
        List<Path> paths = new ArrayList<>();
        List<String> names = new ArrayList<>();
        String policyApi = "http://127.0.0.1:8081";
        String nodeAgent = "http://127.0.0.1:8086";
        String fqdnCache = "http://127.0.0.1:8084";
        Duration timeout = Duration.ofSeconds(30);
        String token = null;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "-h", "--help" -> help = true;
                case "--policy-api", "--node-agent", "--fqdn-cache", "--ready-timeout", "--case", "--token" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new UsageException(a + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (a) {
                        case "--policy-api" -> policyApi = url(a, value);
                        case "--node-agent" -> nodeAgent = url(a, value);
                        case "--fqdn-cache" -> fqdnCache = url(a, value);
                        case "--ready-timeout" -> timeout = duration(value);
                        case "--case" -> names.add(value);
                        default -> token = value.isBlank() ? null : value;
                    }
                }
                default -> {
                    if (a.startsWith("-")) {
                        throw new UsageException("unknown option " + a);
                    }
                    paths.add(Path.of(a));
                }
            }
        }
        return new Options(List.copyOf(paths), policyApi, nodeAgent, fqdnCache, timeout, List.copyOf(names), token, help);
    }

    private static String url(String option, String value) throws UsageException {
        if (!value.startsWith("http://") && !value.startsWith("https://")) {
            throw new UsageException(option + " must be an http(s) URL, got " + value);
        }
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    /** {@code 500ms}, {@code 30s}, {@code 2m} or plain seconds. */
    static Duration duration(String v) throws UsageException {
        try {
            String s = v.trim().toLowerCase();
            Duration d;
            if (s.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            } else if (s.endsWith("s")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
            } else if (s.endsWith("m")) {
                d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)) * 60);
            } else {
                d = Duration.ofSeconds(Long.parseLong(s));
            }
            if (d.isNegative() || d.isZero()) {
                throw new UsageException("--ready-timeout must be positive, got " + v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException("--ready-timeout: not a duration: " + v);
        }
    }
}
