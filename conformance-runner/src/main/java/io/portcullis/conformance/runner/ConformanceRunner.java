package io.portcullis.conformance.runner;

import io.portcullis.conformance.runner.StackClient.Resp;
import io.portcullis.conformance.runner.StackClient.Unreachable;
import io.portcullis.policy.conformance.ConformanceCase;
import io.portcullis.policy.conformance.ConformanceCases;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The conformance runner: loads case files and runs each against a live stack (policy-api,
 * node-agent, fqdn-cache-service) through the contract REST calls only. Prints one line per check,
 * a per-case summary and {@code conformance: N passed, M failed}; exits 0 only if nothing failed.
 */
public final class ConformanceRunner {

    private ConformanceRunner() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** A loaded case, or the error that kept it from loading (reported as a failure, never skipped). */
    record Loaded(Path file, ConformanceCase c, String error) {
        String name() {
            return c != null ? c.name() : file.getFileName().toString();
        }
    }

    /** Runs and answers the exit status: 0 all passed, 1 something failed, 2 usage or stack unreachable. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (Options.UsageException e) {
            err.println("error: " + e.getMessage());
            err.print(Options.USAGE);
            return 2;
        }
        if (o.help()) {
            out.print(Options.USAGE);
            return 0;
        }
        List<Loaded> cases;
        try {
            cases = load(o.paths().isEmpty() ? defaultPaths() : o.paths());
        } catch (IOException | IllegalStateException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        if (!o.caseNames().isEmpty()) {
            Set<String> wanted = new LinkedHashSet<>(o.caseNames());
            cases = cases.stream().filter(l -> wanted.contains(l.name())).toList();
            cases.forEach(l -> wanted.remove(l.name()));
            if (!wanted.isEmpty()) {
                err.println("error: no case named " + String.join(", ", wanted));
                return 2;
            }
        }
        if (cases.isEmpty()) {
            err.println("error: no case files found");
            return 2;
        }

        StackClient stack = new StackClient(o);
        String down = preflight(stack);
        if (down != null) {
            err.println("error: " + down);
            err.println("       start the stack first (dev/stack up) or point --policy-api/--node-agent at it");
            return 2;
        }

        out.println("conformance: " + cases.size() + " case(s) against policy-api " + o.policyApi() + ", node-agent "
                + o.nodeAgent() + ", fqdn-cache " + o.fqdnCache());
        Results results = new Results(out);
        CaseRunner runner = new CaseRunner(stack, results, o.readyTimeout());
        for (Loaded l : cases) {
            if (l.c() == null) {
                results.fail(l.name(), "load " + l.file(), l.error());
                continue;
            }
            runner.run(l.c());
        }
        results.printSummary();
        return results.allPassed() ? 0 : 1;
    }

    /** Null if policy-api and node-agent answer their list calls, else what is wrong. */
    static String preflight(StackClient stack) {
        try {
            Resp p = stack.listPolicies();
            if (!p.ok()) {
                return "policy-api at " + stack.policyApi() + " answers GET /v1/policies with " + p.describe();
            }
            Resp n = stack.listEndpoints();
            if (!n.ok()) {
                return "node-agent at " + stack.nodeAgent() + " answers GET /v1/endpoints with " + n.describe();
            }
            return null;
        } catch (Unreachable e) {
            return e.getMessage();
        }
    }

    /** The shared case folder, plus the project's own {@code conformance/cases} if it exists. */
    static List<Path> defaultPaths() {
        List<Path> paths = new ArrayList<>();
        paths.add(ConformanceCases.sharedCasesDir());
        Path own = Path.of("conformance", "cases");
        if (Files.isDirectory(own)) {
            paths.add(own);
        }
        return paths;
    }

    static List<Loaded> load(List<Path> paths) throws IOException {
        List<Loaded> out = new ArrayList<>();
        for (Path p : paths) {
            List<Path> files;
            if (Files.isDirectory(p)) {
                files = ConformanceCases.files(p);
            } else if (Files.isRegularFile(p)) {
                files = List.of(p);
            } else {
                throw new IllegalArgumentException("no such case folder or file: " + p);
            }
            for (Path f : files) {
                try {
                    ConformanceCase c = ConformanceCases.load(f);
                    if (c == null || c.name() == null || c.name().isBlank()) {
                        out.add(new Loaded(f, null, "case file has no name"));
                    } else {
                        out.add(new Loaded(f, c, null));
                    }
                } catch (IOException | RuntimeException e) {
                    out.add(new Loaded(f, null, "cannot read case: " + e.getMessage()));
                }
            }
        }
        return out;
    }
}
