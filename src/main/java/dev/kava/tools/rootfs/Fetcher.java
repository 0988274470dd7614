package dev.kava.tools.rootfs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Downloads files over http(s) (java.net.http; redirects followed, never from https to http) or
 * reads them from a {@code file:} URL. A proxy is taken from {@code https_proxy} /
 * {@code http_proxy} (or their upper-case forms) when set.
 */
public class Fetcher {
    /** The server answered 404 / the file does not exist. */
    public static final class NotFoundException extends FileNotFoundException {
        public NotFoundException(String url) {
            super(url);
        }
    }

    private final HttpClient client;

    public Fetcher(Map<String, String> env) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(20));
        ProxySelector proxy = proxyFromEnv(env);
        if (proxy != null) b.proxy(proxy);
        client = b.build();
    }

    private static ProxySelector proxyFromEnv(Map<String, String> env) {
        for (String name : new String[]{"https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY"}) {
            String v = env.get(name);
            if (v == null || v.isBlank()) continue;
            try {
                URI u = new URI(v.contains("://") ? v.strip() : "http://" + v.strip());
                if (u.getHost() != null) return ProxySelector.of(new InetSocketAddress(u.getHost(), u.getPort() > 0 ? u.getPort() : 80));
            } catch (java.net.URISyntaxException e) {
                // An unusable proxy setting: go direct.
            }
        }
        return null;
    }

    /** Reads a whole (small) file. */
    public byte[] get(String url) throws IOException {
        try (InputStream in = open(url)) {
            return in.readAllBytes();
        }
    }

    /**
     * Streams {@code url} into {@code dest} (created or replaced), reporting bytes as they arrive.
     */
    public void download(String url, Path dest, LongConsumer progress) throws IOException {
        try (InputStream in = open(url); OutputStream out = Files.newOutputStream(dest)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                if (progress != null) progress.accept(n);
            }
        }
    }

    /** Opens a URL for reading. */
    protected InputStream open(String url) throws IOException {
        URI uri = URI.create(url);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("file")) {
            Path p = Path.of(uri);
            if (!Files.isRegularFile(p)) throw new NotFoundException(url);
            return Files.newInputStream(p);
        }
        HttpRequest req = HttpRequest.newBuilder(uri).GET().header("User-Agent", "kava-rootfs").build();
        HttpResponse<InputStream> resp;
        try {
            resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + url);
        }
        int status = resp.statusCode();
        if (status == 200) return resp.body();
        resp.body().close();
        if (status == 404 || status == 410) throw new NotFoundException(url);
        throw new IOException("HTTP " + status + " for " + url);
    }
}
