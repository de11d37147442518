import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Prints a DPoP proof (RFC 9449 §4.2) for one HTTP request, made with nothing but the JDK, so that
 * README.md's walkthrough runs on any machine with Java 17:
 *
 * <pre>
 * java scripts/DpopProof.java POST http://localhost:3000/demo/token
 * java scripts/DpopProof.java GET http://localhost:3000/api/data "$TOKEN"
 * </pre>
 *
 * The client's P-256 key pair is made on the first run and kept in the file named by the
 * environment variable DPOP_KEY_FILE (default: dpop-demo-key.txt in the current directory), so that
 * the token the demo issuer binds to it can be used with later proofs. With an access token as the
 * third argument the proof carries its hash ({@code ath}), as a proof sent to an API must. A demo
 * tool: the key file is not protected.
 */
public class DpopProof {

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: java scripts/DpopProof.java METHOD URL [ACCESS_TOKEN]");
            System.exit(2);
        }
        KeyPair pair = keyPair(Path.of(System.getenv().getOrDefault("DPOP_KEY_FILE", "dpop-demo-key.txt")));
        ECPublicKey publicKey = (ECPublicKey) pair.getPublic();
        String jwk = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + coordinate(publicKey.getW().getAffineX())
                + "\",\"y\":\"" + coordinate(publicKey.getW().getAffineY()) + "\"}";
        String header = "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":" + jwk + "}";
        String claims = "{\"jti\":\"" + UUID.randomUUID() + "\",\"htm\":\"" + args[0] + "\",\"htu\":\"" + args[1]
                + "\",\"iat\":" + System.currentTimeMillis() / 1000
                + (args.length == 3 ? ",\"ath\":\"" + base64Url(MessageDigest.getInstance("SHA-256")
                        .digest(args[2].getBytes(StandardCharsets.US_ASCII))) + "\"" : "") + "}";
        String signingInput = base64Url(header.getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(claims.getBytes(StandardCharsets.UTF_8));
        Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
        signer.initSign(pair.getPrivate());
        signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        System.out.println(signingInput + "." + base64Url(signer.sign()));
    }

    /** The key pair in {@code file}, made and written there first if the file does not exist. */
    private static KeyPair keyPair(Path file) throws Exception {
        KeyFactory factory = KeyFactory.getInstance("EC");
        if (Files.exists(file)) {
            List<String> lines = Files.readAllLines(file);
            return new KeyPair(factory.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(lines.get(0)))),
                    factory.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(lines.get(1)))));
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        Files.write(file, List.of(Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()),
                Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded())));
        return pair;
    }

    /** A P-256 coordinate as the 32 big-endian bytes JWK wants (RFC 7518 §6.2.1.2), base64url. */
    private static String coordinate(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] fixed = new byte[32];
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, fixed, 32 - length, length);
        return base64Url(fixed);
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
