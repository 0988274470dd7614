package dev.kava.tools.rootfs;

import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.util.encoders.Hex;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The OpenPGP public keys trusted to sign a Debian archive's InRelease files.
 *
 * <p>By default ({@link #debianDefault}) these are the host's Debian archive keyrings,
 * {@code /usr/share/keyrings/debian-archive-keyring.gpg} and the other
 * {@code debian-archive-*.gpg} files there (never {@code debian-archive-removed-keys.gpg}),
 * together with the keys bundled in kava (resource {@code debian-archive-keyring.asc} beside this
 * class: the public keys of Debian's package {@code debian-archive-keyring}, see
 * {@code debian-archive-keyring.README}), so that the builder works on hosts that are not Debian.
 * A ring found in several files counts once.
 */
public final class ArchiveKeyring {
    /** The bundled resource with Debian's archive signing keys (ASCII-armoured public keys). */
    public static final String BUNDLED_RESOURCE = "debian-archive-keyring.asc";

    private final Map<String, PGPPublicKeyRing> rings = new LinkedHashMap<>(); // by primary fingerprint
    private final Map<Long, List<PGPPublicKey>> byKeyId = new HashMap<>();
    private final Map<Long, PGPPublicKeyRing> ringOf = new HashMap<>();
    private final List<String> sources = new ArrayList<>();

    /** Where the keys came from, for messages. */
    public List<String> sources() {
        return List.copyOf(sources);
    }

    public int size() {
        return rings.size();
    }

    /** The host's Debian archive keyrings under {@code keyringDir}, plus the bundled keys. */
    public static ArchiveKeyring debianDefault(Path keyringDir, List<String> warnings) {
        ArchiveKeyring k = new ArchiveKeyring();
        List<Path> files = new ArrayList<>();
        Path main = keyringDir.resolve("debian-archive-keyring.gpg");
        if (Files.isRegularFile(main)) files.add(main);
        if (Files.isDirectory(keyringDir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(keyringDir, "debian-archive-*.gpg")) {
                List<Path> more = new ArrayList<>();
                for (Path p : ds) {
                    String n = p.getFileName().toString();
                    if (n.contains("removed") || p.equals(main)) continue; // removed keys are never trusted
                    more.add(p);
                }
                more.sort(null);
                files.addAll(more);
            } catch (IOException e) {
                warnings.add("cannot list " + keyringDir + ": " + e.getMessage());
            }
        }
        for (Path f : files) {
            try {
                k.addFile(f);
            } catch (IOException | PGPException | RuntimeException e) {
                warnings.add("ignoring keyring " + f + ": " + e.getMessage());
            }
        }
        k.addBundled();
        return k;
    }

    /** Adds the keys bundled with kava. */
    public ArchiveKeyring addBundled() {
        try (InputStream in = ArchiveKeyring.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing resource " + BUNDLED_RESOURCE);
            add(in.readAllBytes(), "kava's bundled Debian archive keys");
        } catch (IOException | PGPException e) {
            throw new IllegalStateException("cannot read the bundled keyring: " + e.getMessage(), e);
        }
        return this;
    }

    /** Adds every public key ring of a file (binary or ASCII-armoured). */
    public ArchiveKeyring addFile(Path file) throws IOException, PGPException {
        add(Files.readAllBytes(file), file.toString());
        return this;
    }

    /** Adds every public key ring of an OpenPGP key block (binary or ASCII-armoured). */
    public ArchiveKeyring add(byte[] keyData, String source) throws IOException, PGPException {
        int before = rings.size();
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(keyData))) {
            BcPGPObjectFactory f = new BcPGPObjectFactory(in);
            Object o;
            while ((o = f.nextObject()) != null) {
                if (o instanceof PGPPublicKeyRing ring) addRing(ring);
                // Anything else (trust packets, secret keys) is not a public key: skip it.
            }
        }
        sources.add(source + " (" + (rings.size() - before) + " new key" + (rings.size() - before == 1 ? "" : "s") + ")");
        return this;
    }

    private void addRing(PGPPublicKeyRing ring) {
        String fpr = fingerprint(ring.getPublicKey());
        if (rings.containsKey(fpr)) return;
        rings.put(fpr, ring);
        for (Iterator<PGPPublicKey> it = ring.getPublicKeys(); it.hasNext(); ) {
            PGPPublicKey key = it.next();
            byKeyId.computeIfAbsent(key.getKeyID(), x -> new ArrayList<>()).add(key);
            ringOf.put(key.getKeyID(), ring);
        }
    }

    /** The keys (primary or subkeys) with this 64-bit key ID. */
    public List<PGPPublicKey> keys(long keyId) {
        return byKeyId.getOrDefault(keyId, List.of());
    }

    /** The ring a key ID belongs to (its primary key names the signer). */
    public PGPPublicKeyRing ring(long keyId) {
        return ringOf.get(keyId);
    }

    /** The key with this fingerprint, or null. */
    public PGPPublicKey keyByFingerprint(byte[] fpr) {
        for (PGPPublicKeyRing r : rings.values()) {
            for (Iterator<PGPPublicKey> it = r.getPublicKeys(); it.hasNext(); ) {
                PGPPublicKey k = it.next();
                if (k.hasFingerprint(fpr)) return k;
            }
        }
        return null;
    }

    public static String fingerprint(PGPPublicKey key) {
        return Hex.toHexString(key.getFingerprint()).toUpperCase(Locale.ROOT);
    }

    /** The first user ID of the ring's primary key, for messages. */
    public static String userId(PGPPublicKeyRing ring) {
        Iterator<String> ids = ring.getPublicKey().getUserIDs();
        return ids.hasNext() ? ids.next() : fingerprint(ring.getPublicKey());
    }
}
