package dev.mailroom.app;

import dev.mailroom.dkim.MasterKey;
import dev.mailroom.dkim.SecretSealer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.jdbi.v3.core.Jdbi;

/**
 * Finds the master key: {@code master_key} (MAILROOM_MASTER_KEY) when set, else the file
 * {@code master.key} in the data directory, created with owner-only permissions at first start.
 */
final class MasterKeys {
    static final String FILE_NAME = "master.key";
    private static final String CHECK_CONTEXT = "master-key-check";
    private static final byte[] CHECK_VALUE = "mailroom".getBytes(StandardCharsets.US_ASCII);

    private MasterKeys() {}

    static MasterKey load(MailroomConfig config) {
        if (!config.masterKey().isEmpty()) {
            try {
                return MasterKey.fromBase64(config.masterKey());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(java.util.List.of("master_key: " + e.getMessage()));
            }
        }
        var file = config.dataDir().resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                return MasterKey.fromBase64(Files.readString(file));
            }
            var key = MasterKey.generate();
            write(file, key);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the master key file " + file, e);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(java.util.List.of(file + ": " + e.getMessage()));
        }
    }

    /**
     * Seals a known value at first start and opens it at every later one, so that a wrong
     * master key stops start-up with a clear message instead of failing on first use.
     */
    static void checkAgainstStore(SecretSealer sealer, Jdbi jdbi) {
        var sealed = jdbi.withHandle(h -> h.createQuery("SELECT sealed FROM master_key_check WHERE id = 1").mapTo(String.class).findOne());
        if (sealed.isEmpty()) {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO master_key_check (id, sealed) VALUES (1, :sealed)")
                    .bind("sealed", sealer.seal(CHECK_VALUE, CHECK_CONTEXT))
                    .execute());
            return;
        }
        try {
            if (!Arrays.equals(sealer.open(sealed.get(), CHECK_CONTEXT), CHECK_VALUE)) {
                throw new SecretSealer.SealException("check value differs");
            }
        } catch (SecretSealer.SealException e) {
            throw new ConfigException(java.util.List.of(
                    "master_key: this is not the key the database's secrets were sealed with (MAILROOM_MASTER_KEY or "
                            + FILE_NAME + " in data_dir must be the one used before)"));
        }
    }

    private static void write(Path file, MasterKey key) throws IOException {
        Files.createDirectories(file.getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("master key file appeared while creating it; start again", e);
        }
        Files.writeString(file, key.toBase64() + "\n", StandardOpenOption.TRUNCATE_EXISTING);
    }
}
