package dev.kava.guest;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance tests with real network software from Debian riscv64, client and server both inside
 * kava over loopback TCP: busybox httpd and wget, busybox nc as server and client, python3's
 * http.server and urllib.request.
 */
class NetAppsTest {
    static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("kava.guest.timeout", 300));
    static final List<String> ENV = List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root");

    static GuestRun sh(Path root, String script) throws Exception {
        return GuestRun.underKava(root, List.of("/bin/sh", "-c", script), ENV, null, TIMEOUT);
    }

    /** busybox httpd serves a small page, a 289 KB file intact, and a 404; wget fetches them. */
    @Test
    void busyboxWgetFromHttpd() throws Exception {
        Path root = PortForwardTest.busyboxRoot();
        GuestRun r = sh(root, """
                mkdir -p /tmp/www
                echo "hello from kava httpd" > /tmp/www/index.html
                seq 1 50000 > /tmp/www/big.txt
                httpd -f -p 127.0.0.1:8080 -h /tmp/www &
                pid=$!
                i=0
                until wget -q -O /tmp/index http://127.0.0.1:8080/index.html 2>/dev/null; do
                  i=$((i+1)); [ $i -gt 300 ] && { echo "httpd never answered"; exit 9; }; sleep 0.1
                done
                cat /tmp/index
                wget -q -O /tmp/big http://127.0.0.1:8080/big.txt; echo "wget status $?"
                md5sum < /tmp/www/big.txt; md5sum < /tmp/big
                wget -q -O - http://127.0.0.1:8080/missing.html 2>&1; echo "missing status $?"
                kill $pid; wait $pid; echo "httpd status $?"
                """);
        String[] lines = r.stdoutText().split("\n");
        String context = r.stdoutText() + "\n--- stderr ---\n" + r.stderrText();
        assertEquals("hello from kava httpd", lines[0], context);
        assertEquals("wget status 0", lines[1], context);
        assertEquals(lines[2], lines[3], "the big file changed on its way\n" + context);
        assertEquals("wget: server returned error: HTTP/1.1 404 Not Found", lines[4], context);
        assertEquals("missing status 1", lines[5], context);
        assertEquals("httpd status 143", lines[6], context);
        assertEquals(0, r.status(), context);
    }

    /**
     * busybox nc both ways: the server runs md5sum on the connection; the client sends 109 KB,
     * half-closes at the end of its input, and prints what comes back: the same digest.
     */
    @Test
    void busyboxNcClientAndServer() throws Exception {
        Path root = PortForwardTest.busyboxRoot();
        GuestRun r = sh(root, """
                seq 1 20000 > /tmp/data
                nc -l -p 9000 -e md5sum &
                npid=$!
                i=0
                until nc 127.0.0.1 9000 < /tmp/data > /tmp/sum; do
                  i=$((i+1)); [ $i -gt 300 ] && { echo "nc server never answered"; exit 9; }; sleep 0.1
                done
                wait $npid; echo "nc server status $?"
                cat /tmp/sum; md5sum < /tmp/data
                """);
        String[] lines = r.stdoutText().split("\n");
        String context = r.stdoutText() + "\n--- stderr ---\n" + r.stderrText();
        assertEquals("nc server status 0", lines[0], context);
        assertTrue(lines[1].matches("[0-9a-f]{32}  -"), context);
        assertEquals(lines[2], lines[1], context);
        assertEquals(0, r.status(), context);
    }

    static final String PYTHON_PACKAGES = "python3,busybox-static";

    /**
     * python3 with its standard library compiled once under qemu-riscv64-static (Debian does it
     * in python3's postinst, which the builder does not run; without .pyc files every run
     * compiles the modules it imports under emulation).
     */
    static Path pythonRoot() throws Exception {
        String missing = GuestToolchain.missing();
        Assumptions.assumeTrue(missing == null, () -> "skipped: " + missing + " (it compiles the .pyc files)");
        return DebianRoot.get("netpython", PYTHON_PACKAGES, "usr/bin/python3", root -> {
            Path abs = root.toAbsolutePath();
            Process p = new ProcessBuilder(GuestToolchain.QEMU, "-L", abs.toString(), abs + "/usr/bin/python3", "-m", "compileall",
                    "-q", "-s", abs.toString(), "-p", "/", abs + "/usr/lib/python3.13")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertTrue(p.waitFor(15, TimeUnit.MINUTES), "compileall under qemu took more than 15 minutes");
            assertTrue(Files.isRegularFile(abs.resolve("usr/lib/python3.13/__pycache__/os.cpython-313.pyc")));
        });
    }

    /**
     * http.server's ThreadingHTTPServer in a thread, urllib.request in the main thread: a 1 MiB
     * file comes back intact, a directory listing names it, a missing file is an HTTPError 404.
     */
    @Test
    void pythonHttpServerAndUrllib() throws Exception {
        Path root = pythonRoot();
        String program = """
                import functools, hashlib, http.server, os, threading, urllib.error, urllib.request
                os.makedirs('/tmp/www')
                data = bytes((i * 7 + i // 251) & 0xff for i in range(1 << 20))
                with open('/tmp/www/blob.bin', 'wb') as f:
                    f.write(data)
                class Quiet(http.server.SimpleHTTPRequestHandler):
                    def log_message(self, *args):
                        pass
                srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(Quiet, directory='/tmp/www'))
                port = srv.server_address[1]
                threading.Thread(target=srv.serve_forever, daemon=True).start()
                base = 'http://127.0.0.1:%d/' % port
                with urllib.request.urlopen(base + 'blob.bin') as r:
                    body = r.read()
                    print(r.status, r.headers['Content-Length'])
                print(hashlib.sha256(body).hexdigest() == hashlib.sha256(data).hexdigest())
                with urllib.request.urlopen(base) as r:
                    print('blob.bin' in r.read().decode())
                try:
                    urllib.request.urlopen(base + 'missing')
                except urllib.error.HTTPError as e:
                    print(e.code)
                srv.shutdown()
                srv.server_close()
                print('done')
                """;
        GuestRun r = GuestRun.underKava(root, List.of("/usr/bin/python3", "-c", program), ENV, null, TIMEOUT);
        String context = r.stdoutText() + "\n--- stderr ---\n" + r.stderrText();
        assertEquals("200 1048576\nTrue\nTrue\n404\ndone\n", r.stdoutText(), context);
        assertEquals(0, r.status(), context);
    }
}
