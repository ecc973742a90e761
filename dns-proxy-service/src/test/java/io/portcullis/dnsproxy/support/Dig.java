package io.portcullis.dnsproxy.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the real {@code dig} (bind9-dnsutils) against the proxy, from a given source address. */
public final class Dig {

    private static final Pattern STATUS = Pattern.compile("status: ([A-Z]+)");

    public record Result(String status, String output) {
        public boolean hasOpt() {
            return output.contains("OPT PSEUDOSECTION");
        }

        public int answers() {
            Matcher m = Pattern.compile("ANSWER: (\\d+)").matcher(output);
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        }
    }

    private Dig() {}

    public static Result query(String source, int port, String name, String... options) {
        List<String> cmd = new ArrayList<>(List.of("dig", "@127.0.0.1", "-p", Integer.toString(port), "-b", source,
                "+tries=1", "+time=4", name, "A"));
        cmd.addAll(List.of(options));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("dig did not finish: " + cmd);
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = STATUS.matcher(out);
            return new Result(m.find() ? m.group(1) : "NO-ANSWER", out);
        } catch (IOException e) {
            throw new AssertionError("dig is needed for this test (apt-get install bind9-dnsutils)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
