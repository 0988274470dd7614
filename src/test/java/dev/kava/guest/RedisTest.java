package dev.kava.guest;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis acceptance: Debian trixie's riscv64 redis-server runs inside kava and redis-benchmark,
 * also inside kava, drives it over loopback TCP with {@code -n 100000 -c 50 -t set,get} (50
 * clients on one epoll loop: non-blocking sockets, TCP_NODELAY, SO_KEEPALIVE). Every request of
 * both tests must complete, the data must be there afterwards and both programs must exit 0.
 * The same run against qemu-riscv64-static and the host kernel is tools/bench-redis.
 */
class RedisTest {
    static final String PACKAGES = "redis-server,redis-tools,busybox-static";
    static final int REQUESTS = Integer.getInteger("kava.redis.requests", 100000);
    static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("kava.redis.timeout", 900));

    static Path root() throws Exception {
        return DebianRoot.get("redis", PACKAGES, "usr/bin/redis-server");
    }

    /** The shell script: server in the background, wait until it answers, benchmark, check, shut down. */
    static String script(int requests) {
        return """
                redis-server --port 6379 --bind 127.0.0.1 --save '' --appendonly no --dir /tmp >/tmp/redis.log 2>&1 &
                i=0
                until redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; do
                  i=$((i+1)); [ $i -gt 300 ] && { echo "redis-server did not answer"; cat /tmp/redis.log; exit 9; }
                  sleep 0.2
                done
                redis-benchmark -h 127.0.0.1 -p 6379 -n %d -c 50 -t set,get
                echo "benchmark status $?"
                echo "value $(redis-cli -h 127.0.0.1 get key:__rand_int__)"
                redis-cli -h 127.0.0.1 info stats | grep total_commands_processed
                redis-cli -h 127.0.0.1 shutdown nosave
                wait
                echo "server status $?"
                """.formatted(requests);
    }

    @Test
    void benchmarkSetGetCompletesOverLoopback() throws Exception {
        Path root = root();
        long start = System.nanoTime();
        GuestRun r = GuestRun.underKava(root, List.of("/bin/sh", "-c", script(REQUESTS)),
                List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root"), null, TIMEOUT);
        double secs = (System.nanoTime() - start) / 1e9;
        // redis-benchmark redraws its progress line with \r: keep the final lines only.
        String out = String.join("\n", r.stdoutText().split("[\r\n]+"));
        String context = "--- stdout ---\n" + tail(out) + "\n--- stderr ---\n" + r.stderrText();
        for (String test : List.of("SET", "GET")) {
            Matcher m = Pattern.compile("====== " + test + " ======\\s*\\n\\s*(\\d+) requests completed in ([0-9.]+) seconds"
                    + "[\\s\\S]*?throughput summary: ([0-9.]+) requests per second").matcher(out);
            assertTrue(m.find(), test + " did not complete\n" + context);
            assertEquals(REQUESTS, Integer.parseInt(m.group(1)), test + " requests completed\n" + context);
            System.out.printf("RedisTest: %s %d requests in %s s, %s requests/s%n", test, REQUESTS, m.group(2), m.group(3));
        }
        assertTrue(out.contains("\nbenchmark status 0\n"), context);
        // -d 3: each SET stored a 3-byte payload under key:__rand_int__ (no -r: always that key).
        assertTrue(Pattern.compile("\nvalue \\S{3}\n").matcher(out).find(), "the benchmark's SET value is not there\n" + context);
        Matcher cmds = Pattern.compile("total_commands_processed:(\\d+)").matcher(out);
        assertTrue(cmds.find() && Long.parseLong(cmds.group(1)) >= 2L * REQUESTS, "commands processed\n" + context);
        assertTrue(out.contains("\nserver status 0"), context);
        assertEquals(0, r.status(), context);
        System.out.printf("RedisTest: the whole run took %.1f s%n", secs);
    }

    /**
     * kava run -p: redis-server inside kava, redis-benchmark on the host (the same riscv64
     * binary under qemu-riscv64-static and the host kernel's TCP) through the forwarded port.
     * CI runs -n 10000 (-Dkava.redis.hostRequests); the full -n 100000 is tools/bench-redis's.
     */
    @Test
    void hostBenchmarkThroughAForwardedPort() throws Exception {
        String missing = GuestToolchain.missing();
        org.junit.jupiter.api.Assumptions.assumeTrue(missing == null, () -> "skipped: " + missing);
        Path root = root().toAbsolutePath();
        int requests = Integer.getInteger("kava.redis.hostRequests", 10000);
        int port = ForwardedGuest.freePort();
        try (ForwardedGuest g = new ForwardedGuest(root, List.of("/usr/bin/redis-server", "--port", "6379", "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", "/tmp"), List.of("PATH=/usr/bin:/bin"),
                List.of(dev.kava.net.host.PortForward.Spec.parse(port + ":6379")))) {
            awaitPong(port, g);
            Process p = new ProcessBuilder(GuestToolchain.QEMU, "-L", root.toString(), root + "/usr/bin/redis-benchmark",
                    "-h", "127.0.0.1", "-p", String.valueOf(port), "-n", String.valueOf(requests), "-c", "50", "-t", "set,get")
                    .redirectErrorStream(true).start();
            String raw = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(p.waitFor(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
            String out = String.join("\n", raw.split("[\r\n]+"));
            String context = tail(out) + "\n" + g.diagnostics();
            assertEquals(0, p.exitValue(), context);
            for (String test : List.of("SET", "GET")) {
                Matcher m = Pattern.compile("====== " + test + " ======\\s*\\n\\s*(\\d+) requests completed in ([0-9.]+) seconds"
                        + "[\\s\\S]*?throughput summary: ([0-9.]+) requests per second").matcher(out);
                assertTrue(m.find(), test + " did not complete\n" + context);
                assertEquals(requests, Integer.parseInt(m.group(1)), context);
                System.out.printf("RedisTest through -p: %s %d requests, %s requests/s%n", test, requests, m.group(3));
            }
        }
    }

    /** Waits until redis-server answers PING through the forwarded port. */
    static void awaitPong(int port, ForwardedGuest g) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(30_000);
                s.getOutputStream().write("PING\r\n".getBytes());
                byte[] b = new byte[7];
                int n = s.getInputStream().readNBytes(b, 0, 7);
                if (n == 7 && new String(b).equals("+PONG\r\n")) return;
            } catch (java.io.IOException notYet) {
                // reset: redis-server is not listening yet
            }
            if (g.exit.isDone() || System.nanoTime() > deadline) throw new AssertionError("no PONG\n" + g.diagnostics());
            Thread.sleep(200);
        }
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
    }
}
