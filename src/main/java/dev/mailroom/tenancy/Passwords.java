package dev.mailroom.tenancy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Dashboard passwords as Argon2id (RFC 9106) hashes in the PHC string format
 * {@code $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>}. The cost is read back from
 * each stored hash, so raising it later keeps the old hashes verifiable.
 */
public final class Passwords {
    /** Costs of new hashes. */
    public record Cost(int memoryKib, int iterations, int parallelism) {}

    /** OWASP's recommended minimum for Argon2id: 19 MiB, 2 passes, 1 lane. */
    public static final Cost DEFAULT_COST = new Cost(19_456, 2, 1);
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Pattern PHC = Pattern.compile("\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getDecoder();
    private final SecureRandom random = new SecureRandom();
    private final Cost cost;

    public Passwords(Cost cost) {
        this.cost = cost;
    }

    public String hash(String password) {
        var salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        var hash = derive(password, salt, cost, HASH_BYTES);
        return "$argon2id$v=19$m=" + cost.memoryKib() + ",t=" + cost.iterations() + ",p=" + cost.parallelism()
                + "$" + ENCODER.encodeToString(salt) + "$" + ENCODER.encodeToString(hash);
    }

    /** Whether {@code password} is the one {@code stored} was made from; false for a malformed hash. */
    public boolean matches(String password, String stored) {
        var phc = PHC.matcher(stored);
        if (!phc.matches()) {
            return false;
        }
        var storedCost = new Cost(Integer.parseInt(phc.group(1)), Integer.parseInt(phc.group(2)), Integer.parseInt(phc.group(3)));
        var expected = DECODER.decode(phc.group(5));
        return MessageDigest.isEqual(expected, derive(password, DECODER.decode(phc.group(4)), storedCost, expected.length));
    }

    private static byte[] derive(String password, byte[] salt, Cost cost, int length) {
        var generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(cost.memoryKib())
                .withIterations(cost.iterations())
                .withParallelism(cost.parallelism())
                .withSalt(salt)
                .build());
        var out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
