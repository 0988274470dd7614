package dev.kava.tools.rootfs;

import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** InRelease signature checks with keys made in the test, and with Debian's real archive keys. */
class ClearsignedVerifierTest {
    private static final String RELEASE = """
            Origin: Test
            Suite: stable
            Codename: test
            Date: Sat, 21 Nov 2026 09:15:44 UTC
            Description: trailing blanks are not signed\t\s
            -----dashed: a line dash-escaped in the armour
            SHA256:
             0000000000000000000000000000000000000000000000000000000000000000 1 main/binary-riscv64/Packages
            """;
    private static final TestKey KEY = TestKey.generate("Test Archive Key <archive@kava.invalid>");
    private static final TestKey OTHER = TestKey.generate("Someone Else <else@kava.invalid>");

    private static String verify(byte[] data, ArchiveKeyring ring) {
        return new ClearsignedVerifier(ring).verify(data, "InRelease", Instant.now()).text();
    }

    private static String refused(byte[] data, ArchiveKeyring ring) {
        return assertThrows(ClearsignedVerifier.BadSignatureException.class, () -> verify(data, ring)).getMessage();
    }

    @Test
    void goodSignatureGivesTheSignedText() {
        byte[] signed = KEY.clearsign(RELEASE);
        assertTrue(new String(signed, StandardCharsets.UTF_8).contains("\n- -----dashed: a line"), "dash-escaped");
        String text = verify(signed, KEY.keyring());
        assertTrue(text.contains("Description: trailing blanks are not signed\n"), text);
        assertTrue(text.contains("\n-----dashed: a line"), "dash escape removed");
        assertEquals("test", ReleaseFile.parse(text).codename());
        ClearsignedVerifier.Verified v = new ClearsignedVerifier(KEY.keyring()).verify(signed, "x", Instant.now());
        assertEquals(1, v.goodSigners().size());
        assertTrue(v.goodSigners().get(0).startsWith("Test Archive Key"));
        // CRLF line ends are the same message.
        assertEquals(text, verify(new String(signed, StandardCharsets.UTF_8).replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8), KEY.keyring()));
    }

    @Test
    void tamperedTextIsRefused() {
        String s = new String(KEY.clearsign(RELEASE), StandardCharsets.UTF_8);
        String tampered = s.replace("Codename: test", "Codename: evil");
        String msg = refused(tampered.getBytes(StandardCharsets.UTF_8), KEY.keyring());
        assertTrue(msg.contains("BAD signature") && msg.contains("Test Archive Key"), msg);
        // One changed byte of the hashed text, even a new blank line, is enough.
        refused(s.replace("SHA256:\n", "SHA256:\n\n").getBytes(StandardCharsets.UTF_8), KEY.keyring());
    }

    @Test
    void unknownSignerAndMissingSignatureAreRefused() {
        String msg = refused(OTHER.clearsign(RELEASE), KEY.keyring());
        assertTrue(msg.contains("no good signature by a trusted") && msg.contains("unknown key"), msg);
        msg = refused(RELEASE.getBytes(StandardCharsets.UTF_8), KEY.keyring());
        assertTrue(msg.contains("is not signed"), msg);
        String s = new String(KEY.clearsign(RELEASE), StandardCharsets.UTF_8);
        msg = refused(s.substring(0, s.indexOf("-----BEGIN PGP SIGNATURE")).getBytes(StandardCharsets.UTF_8), KEY.keyring());
        assertTrue(msg.contains("no signature block"), msg);
    }

    @Test
    void dataOutsideTheSignedPartIsRefused() {
        String s = new String(KEY.clearsign(RELEASE), StandardCharsets.UTF_8);
        assertTrue(refused(("Codename: evil\n" + s).getBytes(StandardCharsets.UTF_8), KEY.keyring()).contains("is not signed"));
        assertTrue(refused((s + "Codename: evil\n").getBytes(StandardCharsets.UTF_8), KEY.keyring()).contains("after the signature"));
        verify(("\n\n" + s + "\n").getBytes(StandardCharsets.UTF_8), KEY.keyring()); // blank lines are harmless
    }

    @Test
    void oneGoodSignatureAmongUnknownOnesIsEnough() {
        // Two signature blocks' packets in one armour, as Debian's InRelease has (one per key).
        String a = new String(OTHER.clearsign(RELEASE), StandardCharsets.UTF_8);
        String b = new String(KEY.clearsign(RELEASE), StandardCharsets.UTF_8);
        byte[] both = combineSignatures(a, b);
        assertTrue(verify(both, KEY.keyring()).contains("Codename: test"));
    }

    @Test
    void expiredKeysAndWeakHashesDoNotCount() {
        TestKey expired = TestKey.generate("Old Key <old@kava.invalid>", new Date(System.currentTimeMillis() - 10 * 86_400_000L), 86_400);
        String msg = refused(expired.clearsign(RELEASE), expired.keyring());
        assertTrue(msg.contains("expired"), msg);
        msg = refused(KEY.clearsign(RELEASE, HashAlgorithmTags.SHA1), KEY.keyring());
        assertTrue(msg.contains("weak hash"), msg);
    }

    /** Puts the signature packets of b's armour after a's, in one clearsigned message. */
    private static byte[] combineSignatures(String a, String b) {
        try {
            org.bouncycastle.bcpg.ArmoredInputStream ia = new org.bouncycastle.bcpg.ArmoredInputStream(
                    new java.io.ByteArrayInputStream(a.substring(a.indexOf("-----BEGIN PGP SIGNATURE")).getBytes(StandardCharsets.US_ASCII)));
            org.bouncycastle.bcpg.ArmoredInputStream ib = new org.bouncycastle.bcpg.ArmoredInputStream(
                    new java.io.ByteArrayInputStream(b.substring(b.indexOf("-----BEGIN PGP SIGNATURE")).getBytes(StandardCharsets.US_ASCII)));
            java.io.ByteArrayOutputStream bo = new java.io.ByteArrayOutputStream();
            try (org.bouncycastle.bcpg.ArmoredOutputStream ao = new org.bouncycastle.bcpg.ArmoredOutputStream(bo)) {
                ao.write(ia.readAllBytes());
                ao.write(ib.readAllBytes());
            }
            return (a.substring(0, a.indexOf("-----BEGIN PGP SIGNATURE")) + bo.toString(StandardCharsets.US_ASCII)).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void bundledDebianKeysLoad() {
        ArchiveKeyring k = new ArchiveKeyring().addBundled();
        assertTrue(k.size() >= 9, "bullseye, bookworm and trixie keys: " + k.size());
        // The trixie archive key and stable release key, by key ID.
        assertTrue(!k.keys(0x225629DF75B188BDL).isEmpty() && !k.keys(0x762F67A0B2C39DE4L).isEmpty());
        List<String> warnings = new ArrayList<>();
        ArchiveKeyring host = ArchiveKeyring.debianDefault(Path.of("/nonexistent"), warnings);
        assertEquals(k.size(), host.size(), "without host keyrings, the bundled keys alone");
    }

    /** The real archive's InRelease verifies with the bundled keys (when the archive or a cached copy is reachable). */
    @Test
    void realDebianInRelease() throws Exception {
        byte[] data = null;
        Path cached = RootfsBuilder.defaultCache(System.getenv(), Path.of(System.getProperty("user.home")), "trixie")
                .resolve("index/trixie/InRelease");
        String mirror = null;
        try {
            mirror = AptSources.findMirror(null, System.getenv(), Path.of("/etc/apt"));
        } catch (RootfsException e) {
            // No archive configured: the cache may still have it.
        }
        if (mirror != null) {
            try {
                HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build();
                HttpResponse<byte[]> r = c.send(HttpRequest.newBuilder(URI.create(mirror + "/dists/trixie/InRelease")).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() == 200) data = r.body();
            } catch (IOException e) {
                // No network.
            }
        }
        if (data == null && Files.isRegularFile(cached)) data = Files.readAllBytes(cached);
        assumeTrue(data != null, "neither the Debian archive nor a cached InRelease is reachable");
        ClearsignedVerifier.Verified v = new ClearsignedVerifier(new ArchiveKeyring().addBundled()).verify(data, "trixie InRelease", Instant.now());
        assertTrue(v.goodSigners().stream().anyMatch(s -> s.contains("trixie")), v.goodSigners().toString());
        ReleaseFile r = ReleaseFile.parse(v.text());
        assertEquals("trixie", r.codename());
        assertTrue(r.sha256().containsKey("main/binary-riscv64/Packages.xz"));
        // The same bytes with one byte of the signed text changed are refused.
        String s = new String(data, StandardCharsets.UTF_8);
        int i = s.indexOf("Codename: trixie");
        byte[] bad = (s.substring(0, i) + "Codename: trixiE" + s.substring(i + "Codename: trixie".length())).getBytes(StandardCharsets.UTF_8);
        assertThrows(ClearsignedVerifier.BadSignatureException.class,
                () -> new ClearsignedVerifier(new ArchiveKeyring().addBundled()).verify(bad, "tampered", Instant.now()));
    }
}
