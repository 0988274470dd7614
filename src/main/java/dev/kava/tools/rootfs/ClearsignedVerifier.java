package dev.kava.tools.rootfs;

import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.sig.IssuerFingerprint;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Verifies an OpenPGP cleartext-signed message (RFC 4880 section 7; Debian's InRelease files)
 * against an {@link ArchiveKeyring}, the way apt's gpgv policy does:
 *
 * <ul>
 *   <li>nothing but blank lines may stand before the {@code BEGIN PGP SIGNED MESSAGE} line or
 *       after the signature block (apt refuses such files: the unsigned text could be parsed);
 *   <li>signatures by keys that are not in the keyring are ignored;
 *   <li>a signature by a trusted key that does not verify (BADSIG) refuses the whole file;
 *   <li>a signature by an expired or revoked key, or made with a weak hash (MD5, SHA-1,
 *       RIPEMD-160), does not count;
 *   <li>at least one good signature by a trusted key is required.
 * </ul>
 *
 * The signed text is what the signature covers: the cleartext with dash-escapes removed,
 * trailing blanks of each line dropped and lines joined by CRLF for the hash. Only that text is
 * returned for parsing.
 */
public final class ClearsignedVerifier {
    private static final String BEGIN_MESSAGE = "-----BEGIN PGP SIGNED MESSAGE-----";
    private static final String BEGIN_SIGNATURE = "-----BEGIN PGP SIGNATURE-----";
    private static final String END_SIGNATURE = "-----END PGP SIGNATURE-----";
    private static final Set<Integer> STRONG_HASHES = Set.of(HashAlgorithmTags.SHA224, HashAlgorithmTags.SHA256,
            HashAlgorithmTags.SHA384, HashAlgorithmTags.SHA512, HashAlgorithmTags.SHA3_256, HashAlgorithmTags.SHA3_512);

    /** The outcome: the signed text (LF line ends) and who signed it. */
    public record Verified(String text, List<String> goodSigners) {}

    /** A refused signature, with a message for the user. */
    public static final class BadSignatureException extends RootfsException {
        public BadSignatureException(String message) {
            super(message);
        }
    }

    private final ArchiveKeyring keyring;

    public ClearsignedVerifier(ArchiveKeyring keyring) {
        this.keyring = keyring;
    }

    /**
     * Verifies {@code data} and returns the signed text.
     *
     * @param what names the file in messages (for example the InRelease URL)
     * @param now the time at which keys must be valid
     */
    public Verified verify(byte[] data, String what, Instant now) {
        List<byte[]> lines = splitLines(data);
        int i = 0;
        while (i < lines.size() && isBlank(lines.get(i))) i++;
        if (i == lines.size() || !ascii(lines.get(i)).equals(BEGIN_MESSAGE)) {
            throw new BadSignatureException(what + " is not signed: it does not start with \"" + BEGIN_MESSAGE + "\"");
        }
        i++;
        // Armor headers ("Hash: SHA256"), up to an empty line.
        while (i < lines.size() && !isBlank(lines.get(i))) {
            String h = ascii(lines.get(i));
            if (!h.matches("[A-Za-z-]+: .*")) throw new BadSignatureException(what + ": malformed armor header line: " + h);
            i++;
        }
        if (i == lines.size()) throw new BadSignatureException(what + ": truncated before the signed text");
        i++;
        ByteArrayOutputStream signed = new ByteArrayOutputStream();   // what the hash covers (CRLF)
        ByteArrayOutputStream text = new ByteArrayOutputStream();     // the same with LF line ends
        boolean first = true;
        for (; i < lines.size(); i++) {
            byte[] l = lines.get(i);
            String a = ascii(l);
            if (a.equals(BEGIN_SIGNATURE)) break;
            if (a.startsWith("-")) {
                if (!a.startsWith("- ")) throw new BadSignatureException(what + ": unescaped dash line in the signed text: " + a);
                l = java.util.Arrays.copyOfRange(l, 2, l.length);
            }
            int n = l.length;
            while (n > 0 && (l[n - 1] == ' ' || l[n - 1] == '\t')) n--;
            if (!first) {
                signed.write('\r');
                signed.write('\n');
                text.write('\n');
            }
            first = false;
            signed.write(l, 0, n);
            text.write(l, 0, n);
        }
        if (i == lines.size()) throw new BadSignatureException(what + " has no signature block");
        int sigStart = i;
        while (i < lines.size() && !ascii(lines.get(i)).equals(END_SIGNATURE)) i++;
        if (i == lines.size()) throw new BadSignatureException(what + ": the signature block is not terminated");
        int sigEnd = i;
        for (i++; i < lines.size(); i++) {
            if (!isBlank(lines.get(i))) throw new BadSignatureException(what + ": unsigned data after the signature block");
        }
        ByteArrayOutputStream armor = new ByteArrayOutputStream();
        for (int k = sigStart; k <= sigEnd; k++) {
            armor.writeBytes(lines.get(k));
            armor.write('\n');
        }
        List<PGPSignature> sigs = readSignatures(armor.toByteArray(), what);
        byte[] signedBytes = signed.toByteArray();

        List<String> good = new ArrayList<>();
        List<String> notCounted = new ArrayList<>();
        for (PGPSignature sig : sigs) {
            PGPPublicKey key = findKey(sig);
            if (key == null) {
                notCounted.add("a signature by unknown key " + String.format("%016X", sig.getKeyID()));
                continue;
            }
            PGPPublicKeyRing ring = keyring.ring(key.getKeyID());
            String signer = ArchiveKeyring.userId(ring) + " [" + ArchiveKeyring.fingerprint(ring.getPublicKey()) + "]";
            boolean ok;
            try {
                sig.init(new BcPGPContentVerifierBuilderProvider(), key);
                sig.update(signedBytes);
                ok = sig.verify();
            } catch (PGPException | RuntimeException e) {
                ok = false;
            }
            if (!ok) {
                throw new BadSignatureException("BAD signature on " + what + " by " + signer
                        + ": the file was modified after it was signed (or is corrupt); refusing it");
            }
            if (!STRONG_HASHES.contains(sig.getHashAlgorithm())) {
                notCounted.add("a signature by " + signer + " with a weak hash (algorithm " + sig.getHashAlgorithm() + ")");
                continue;
            }
            String invalid = keyProblem(ring.getPublicKey(), now);
            if (invalid == null && key != ring.getPublicKey()) invalid = keyProblem(key, now);
            if (invalid != null) {
                notCounted.add("a signature by " + signer + " whose key " + invalid);
                continue;
            }
            good.add(signer);
        }
        if (good.isEmpty()) {
            throw new BadSignatureException("no good signature by a trusted Debian archive key on " + what
                    + (notCounted.isEmpty() ? "" : " (found " + String.join("; ", notCounted) + ")")
                    + "; trusted keys come from " + String.join(", ", keyring.sources()));
        }
        return new Verified(new String(text.toByteArray(), StandardCharsets.UTF_8), good);
    }

    private PGPPublicKey findKey(PGPSignature sig) {
        long id = sig.getKeyID();
        if (id != 0) {
            List<PGPPublicKey> keys = keyring.keys(id);
            if (!keys.isEmpty()) return keys.get(0);
        }
        for (PGPSignatureSubpacketVector v : new PGPSignatureSubpacketVector[]{sig.getHashedSubPackets(), sig.getUnhashedSubPackets()}) {
            if (v == null) continue;
            IssuerFingerprint f = v.getIssuerFingerprint();
            if (f != null) {
                PGPPublicKey k = keyring.keyByFingerprint(f.getFingerprint());
                if (k != null) return k;
            }
        }
        return null;
    }

    /** Why a key cannot vouch for anything now, or null when it can. */
    private static String keyProblem(PGPPublicKey key, Instant now) {
        if (key.hasRevocation()) return "is revoked";
        long valid = key.getValidSeconds();
        if (valid > 0) {
            Instant expiry = key.getCreationTime().toInstant().plusSeconds(valid);
            if (now.isAfter(expiry)) return "expired on " + expiry;
        }
        return null;
    }

    private static List<PGPSignature> readSignatures(byte[] armored, String what) {
        List<PGPSignature> out = new ArrayList<>();
        try (InputStream in = new ArmoredInputStream(new ByteArrayInputStream(armored))) {
            BcPGPObjectFactory f = new BcPGPObjectFactory(in);
            Object o;
            while ((o = f.nextObject()) != null) {
                if (!(o instanceof PGPSignatureList list)) {
                    throw new BadSignatureException(what + ": unexpected OpenPGP packet in the signature block: " + o.getClass().getSimpleName());
                }
                for (PGPSignature s : list) {
                    int t = s.getSignatureType();
                    if (t != PGPSignature.CANONICAL_TEXT_DOCUMENT && t != PGPSignature.BINARY_DOCUMENT) {
                        throw new BadSignatureException(what + ": signature of unexpected type 0x" + Integer.toHexString(t).toUpperCase(Locale.ROOT));
                    }
                    out.add(s);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadSignatureException b) throw b;
            throw new BadSignatureException(what + ": unreadable signature block: " + e.getMessage());
        }
        if (out.isEmpty()) throw new BadSignatureException(what + ": the signature block holds no signature");
        return out;
    }

    /** Splits on LF; a CR before the LF is dropped. */
    private static List<byte[]> splitLines(byte[] d) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= d.length; i++) {
            if (i == d.length || d[i] == '\n') {
                if (i == d.length && start == d.length) break;
                int end = i;
                if (end > start && d[end - 1] == '\r') end--;
                out.add(java.util.Arrays.copyOfRange(d, start, end));
                start = i + 1;
            }
        }
        return out;
    }

    private static boolean isBlank(byte[] l) {
        for (byte b : l) if (b != ' ' && b != '\t') return false;
        return true;
    }

    private static String ascii(byte[] l) {
        int n = l.length;
        while (n > 0 && (l[n - 1] == ' ' || l[n - 1] == '\t')) n--;
        return new String(l, 0, n, StandardCharsets.ISO_8859_1);
    }
}
