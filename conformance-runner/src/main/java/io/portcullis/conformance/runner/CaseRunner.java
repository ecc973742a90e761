package io.portcullis.conformance.runner;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.conformance.runner.Requests.PolicyRef;
import io.portcullis.conformance.runner.StackClient.Resp;
import io.portcullis.conformance.runner.StackClient.Unreachable;
import io.portcullis.policy.conformance.ConformanceCase;
import io.portcullis.policy.conformance.ConformanceCase.CaseEndpoint;
import io.portcullis.policy.conformance.ConformanceCase.Check;
import io.portcullis.policy.conformance.ConformanceCase.Observation;
import io.portcullis.policy.conformance.ConformanceCase.Reject;
import io.portcullis.policy.conformance.ConformanceCase.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs one case against the live stack: clean slate, endpoints, steps (apply, delete, observations,
 * wait for ready at the returned revision, checks), rejects, then removes what it created. A step
 * that fails fails the case's remaining checks too (each reported as not run, with the reason).
 */
public final class CaseRunner {

    private static final Duration FIRST_POLL = Duration.ofMillis(50);
    private static final Duration MAX_POLL = Duration.ofSeconds(1);

    private final StackClient stack;
    private final Results results;
    private final Duration readyTimeout;

    /** A step action failed; the message is the reason printed. */
    static final class StepFailure extends Exception {
        StepFailure(String message) {
            super(message);
        }
    }

    public CaseRunner(StackClient stack, Results results, Duration readyTimeout) {
        this.stack = stack;
        this.results = results;
        this.readyTimeout = readyTimeout;
    }

    public void run(ConformanceCase c) {
        String cn = c.name();
        results.begin(cn);
        List<String> endpointKeys = c.endpointsOrEmpty().stream().map(CaseEndpoint::key).toList();
        Set<PolicyRef> toRemove = new LinkedHashSet<>(plannedPolicies(c));
        long revision = 0;
        String abort = null;

        try {
            cleanSlate(endpointKeys, toRemove);
        } catch (StepFailure | Unreachable e) {
            abort = "clean slate failed";
            results.fail(cn, "clean slate", e.getMessage());
        }
        if (abort == null) {
            try {
                for (CaseEndpoint e : c.endpointsOrEmpty()) {
                    register(e);
                }
            } catch (StepFailure | Unreachable e) {
                abort = "endpoints not registered";
                results.fail(cn, "register endpoints", e.getMessage());
            }
        }

        List<Step> steps = c.allSteps();
        for (int s = 0; s < steps.size(); s++) {
            Step step = steps.get(s);
            String stepName = "step " + (s + 1);
            if (abort == null) {
                try {
                    revision = Math.max(revision, runActions(step, toRemove));
                    awaitReady(endpointKeys, revision);
                } catch (StepFailure | Unreachable e) {
                    abort = stepName + " failed";
                    results.fail(cn, stepName, e.getMessage());
                }
            }
            List<Check> checks = step.checksOrEmpty();
            for (int k = 0; k < checks.size(); k++) {
                Check check = checks.get(k);
                String what = stepName + " | check " + (k + 1) + ": " + check;
                if (abort != null) {
                    results.fail(cn, what, "not run: " + abort);
                    continue;
                }
                try {
                    String why = check(check);
                    if (why == null) {
                        results.pass(cn, what);
                    } else {
                        results.fail(cn, what, why);
                    }
                } catch (Unreachable | RuntimeException e) {
                    results.fail(cn, what, e.getMessage());
                }
            }
        }

        List<Reject> rejects = c.rejectsOrEmpty();
        for (int r = 0; r < rejects.size(); r++) {
            Reject reject = rejects.get(r);
            String what = "reject " + (r + 1) + ": " + describe(reject) + " at " + reject.field();
            try {
                String why = reject(reject, toRemove);
                if (why == null) {
                    results.pass(cn, what);
                } else {
                    results.fail(cn, what, why);
                }
            } catch (Unreachable e) {
                results.fail(cn, what, e.getMessage());
            }
        }

        try {
            cleanSlate(endpointKeys, toRemove);
        } catch (StepFailure | Unreachable e) {
            results.fail(cn, "cleanup", e.getMessage());
        }
    }

    /** Every policy the case will create or delete: its removal at the start makes a clean slate. */
    static List<PolicyRef> plannedPolicies(ConformanceCase c) {
        Set<PolicyRef> refs = new LinkedHashSet<>();
        for (Step s : c.allSteps()) {
            refs.addAll(Requests.policyRefs(s.apply()));
            if (s.delete() != null) {
                for (String d : s.delete()) {
                    try {
                        refs.add(PolicyRef.parse(d));
                    } catch (IllegalArgumentException e) {
                        // the step itself reports the bad ref
                    }
                }
            }
        }
        c.rejectsOrEmpty().forEach(r -> refs.addAll(Requests.policyRefs(r.policy())));
        return new ArrayList<>(refs);
    }

    /** Removes the case's endpoints and policies; 404 is fine (already absent). */
    private void cleanSlate(List<String> endpointKeys, Set<PolicyRef> policies) throws StepFailure, Unreachable {
        List<String> errors = new ArrayList<>();
        for (PolicyRef ref : policies) {
            Resp r = stack.deletePolicy(ref);
            if (!r.ok() && r.status() != 404) {
                errors.add("DELETE " + ref + ": " + r.describe());
            }
        }
        for (String key : endpointKeys) {
            Resp r = stack.deleteEndpoint(key);
            if (!r.ok() && r.status() != 404) {
                errors.add("DELETE endpoint " + key + ": " + r.describe());
            }
        }
        if (!errors.isEmpty()) {
            throw new StepFailure(String.join("; ", errors));
        }
    }

    /** POST; on 409 (another spec under that id) DELETE and POST again. */
    private void register(CaseEndpoint e) throws StepFailure, Unreachable {
        Resp r = stack.registerEndpoint(Requests.endpoint(e));
        if (r.status() == 409) {
            stack.deleteEndpoint(e.key());
            r = stack.registerEndpoint(Requests.endpoint(e));
        }
        if (!r.ok()) {
            throw new StepFailure("POST /v1/endpoints " + e.key() + ": " + r.describe());
        }
    }

    /** Apply, delete, observations; answers the highest revision the APIs returned (or 0). */
    private long runActions(Step step, Set<PolicyRef> toRemove) throws StepFailure, Unreachable {
        long revision = 0;
        if (step.apply() != null) {
            toRemove.addAll(Requests.policyRefs(step.apply()));
            Resp r = stack.applyPolicies(step.apply());
            if (r.status() != 200) {
                throw new StepFailure("apply: POST /v1/policies: " + r.describe());
            }
            if (r.json() != null) {
                toRemove.addAll(Requests.policyRefs(r.json().path("items")));
            }
            revision = Math.max(revision, r.revision());
        }
        if (step.delete() != null) {
            for (String d : step.delete()) {
                PolicyRef ref;
                try {
                    ref = PolicyRef.parse(d);
                } catch (IllegalArgumentException e) {
                    throw new StepFailure("delete: " + e.getMessage());
                }
                Resp r = stack.deletePolicy(ref);
                if (r.status() != 200) {
                    throw new StepFailure("delete " + ref + ": DELETE " + ref.path() + ": " + r.describe());
                }
                revision = Math.max(revision, r.revision());
            }
        }
        if (step.observations() != null) {
            for (Observation o : step.observations()) {
                Resp r;
                try {
                    r = stack.observe(Requests.observation(o));
                } catch (Unreachable e) {
                    throw new StepFailure("fqdn-cache-service does not answer /v1/fqdn/observations: " + e.getMessage());
                }
                if (r.status() == 404 || r.status() == 405) {
                    throw new StepFailure("fqdn-cache-service does not answer /v1/fqdn/observations: " + r.status());
                }
                if (r.status() == 504) {
                    throw new StepFailure("fqdn-cache-service: observation " + o.name() + " " + o.ips()
                            + " was not realized in time: " + r.describe());
                }
                if (!r.ok()) {
                    throw new StepFailure("observation " + o.name() + " " + o.ips() + ": POST /v1/fqdn/observations: "
                            + r.describe());
                }
                revision = Math.max(revision, r.revision());
            }
        }
        return revision;
    }

    /** Polls every endpoint (backoff 50 ms doubling to 1 s) until it is {@code ready} at {@code revision}. */
    void awaitReady(List<String> keys, long revision) throws StepFailure, Unreachable {
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        long sleep = FIRST_POLL.toMillis();
        while (true) {
            List<String> waiting = new ArrayList<>();
            for (String key : keys) {
                Resp r = stack.getEndpoint(key);
                JsonNode j = r.json();
                if (r.status() != 200 || j == null) {
                    waiting.add(key + " (" + r.describe() + ")");
                    continue;
                }
                String state = j.path("state").asText("?");
                long rev = j.path("policyRevision").canConvertToLong() ? j.path("policyRevision").asLong() : -1;
                if (!"ready".equals(state) || rev < revision) {
                    waiting.add(key + " (" + state + ", policyRevision " + (rev < 0 ? "none" : rev) + ")");
                }
            }
            if (waiting.isEmpty()) {
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new StepFailure("not ready at revision " + revision + " within " + format(readyTimeout) + ": "
                        + String.join(", ", waiting));
            }
            try {
                Thread.sleep(Math.min(sleep, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StepFailure("interrupted while waiting for ready");
            }
            sleep = Math.min(sleep * 2, MAX_POLL.toMillis());
        }
    }

    /** Null if the verdict is the expected one, else why not (with the API's reason). */
    private String check(Check c) throws Unreachable {
        Resp r = stack.verdict(Requests.verdict(c));
        if (r.status() != 200 || r.json() == null) {
            return "POST /v1/verdicts: " + r.describe();
        }
        return verdictMismatch(c.expect(), r.json());
    }

    static String verdictMismatch(String expect, JsonNode answer) {
        String got = answer.path("verdict").asText("");
        if (got.equalsIgnoreCase(expect)) {
            return null;
        }
        StringBuilder why = new StringBuilder("got ").append(got.isEmpty() ? "no verdict" : got);
        String reason = answer.path("reason").asText("");
        if (!reason.isEmpty()) {
            why.append(": ").append(reason);
        }
        if (answer.path("policies").isArray() && !answer.path("policies").isEmpty()) {
            why.append(" (policies: ").append(answer.path("policies")).append(')');
        }
        return why.toString();
    }

    /** Null if the API refused with 422 and a cause whose field contains the expected text. */
    private String reject(Reject reject, Set<PolicyRef> toRemove) throws Unreachable {
        Resp r = stack.applyPolicies(reject.policy());
        if (r.ok()) {
            toRemove.addAll(Requests.policyRefs(reject.policy()));
            if (r.json() != null) {
                toRemove.addAll(Requests.policyRefs(r.json().path("items")));
            }
            return "accepted (" + r.describe() + "), expected 422 at " + reject.field();
        }
        return rejectMismatch(reject.field(), r.status(), r.json(), r.describe());
    }

    static String rejectMismatch(String field, int status, JsonNode body, String described) {
        if (status != 422) {
            return "expected 422 at " + field + ", got " + described;
        }
        List<String> fields = Requests.causeFields(body);
        if (fields.stream().anyMatch(f -> f.contains(field))) {
            return null;
        }
        return "422 without a cause at " + field + "; causes: " + fields;
    }

    private static String describe(Reject r) {
        List<PolicyRef> refs = Requests.policyRefs(r.policy());
        return refs.isEmpty() ? "policy" : refs.get(0).toString();
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
