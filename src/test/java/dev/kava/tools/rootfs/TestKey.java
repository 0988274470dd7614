package dev.kava.tools.rootfs;

import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Date;

/** An Ed25519 OpenPGP key made for a test, and clearsigning with it (as Debian's archive signs InRelease). */
final class TestKey {
    final PGPKeyPair pair;
    final PGPPublicKeyRing publicRing;

    private TestKey(PGPKeyPair pair, PGPPublicKeyRing ring) {
        this.pair = pair;
        this.publicRing = ring;
    }

    static TestKey generate(String userId) {
        return generate(userId, new Date(System.currentTimeMillis() - 86_400_000L), 0);
    }

    /** A key created at {@code created}, expiring {@code validSeconds} later (0: never). */
    static TestKey generate(String userId, Date created, long validSeconds) {
        try {
            Ed25519KeyPairGenerator g = new Ed25519KeyPairGenerator();
            g.init(new Ed25519KeyGenerationParameters(new SecureRandom()));
            AsymmetricCipherKeyPair kp = g.generateKeyPair();
            PGPKeyPair pair = new BcPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.EDDSA_LEGACY, kp, created);
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setKeyFlags(false, org.bouncycastle.bcpg.sig.KeyFlags.SIGN_DATA | org.bouncycastle.bcpg.sig.KeyFlags.CERTIFY_OTHER);
            if (validSeconds > 0) hashed.setKeyExpirationTime(false, validSeconds);
            hashed.setSignatureCreationTime(false, created);
            PGPKeyRingGenerator rg = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, pair, userId,
                    new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1), hashed.generate(), null,
                    new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.EDDSA_LEGACY, HashAlgorithmTags.SHA256), null);
            return new TestKey(pair, rg.generatePublicKeyRing());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key, ASCII-armoured, as a keyring file holds it. */
    byte[] armoredPublicKey() {
        try {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            try (ArmoredOutputStream ao = new ArmoredOutputStream(bo)) {
                publicRing.encode(ao);
            }
            return bo.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Clearsigns {@code text} (lines ending in LF) with SHA-256, as gpg --clearsign does. */
    byte[] clearsign(String text) {
        return clearsign(text, HashAlgorithmTags.SHA256);
    }

    byte[] clearsign(String text, int hashAlgorithm) {
        try {
            String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
            String[] lines = body.split("\n", -1);
            StringBuilder canon = new StringBuilder();
            StringBuilder out = new StringBuilder("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n");
            for (int i = 0; i < lines.length; i++) {
                String l = lines[i].replaceAll("[ \t]+$", "");
                if (i > 0) canon.append("\r\n");
                canon.append(l);
                out.append(lines[i].startsWith("-") ? "- " : "").append(lines[i]).append('\n');
            }
            PGPSignatureGenerator sg = new PGPSignatureGenerator(
                    new BcPGPContentSignerBuilder(pair.getPublicKey().getAlgorithm(), hashAlgorithm), pair.getPublicKey());
            sg.init(PGPSignature.CANONICAL_TEXT_DOCUMENT, pair.getPrivateKey());
            PGPSignatureSubpacketGenerator sp = new PGPSignatureSubpacketGenerator();
            sp.setSignatureCreationTime(false, new Date());
            sp.setIssuerFingerprint(false, pair.getPublicKey());
            sg.setHashedSubpackets(sp.generate());
            sg.update(canon.toString().getBytes(StandardCharsets.UTF_8));
            PGPSignature sig = sg.generate();
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            try (ArmoredOutputStream ao = new ArmoredOutputStream(bo)) {
                sig.encode(ao);
            }
            out.append(bo.toString(StandardCharsets.US_ASCII));
            return out.toString().getBytes(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    ArchiveKeyring keyring() {
        try {
            return new ArchiveKeyring().add(armoredPublicKey(), "test key");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
