package dev.mailroom.tenancy;

import dev.mailroom.message.EmailAddress;
import dev.mailroom.store.Constraints;
import dev.mailroom.store.Ids;
import dev.mailroom.store.Page;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Dashboard users: created and removed by the agency (agency API keys), logged in by email and
 * password. A client viewer belongs to exactly one existing tenant; agency roles to none.
 */
public final class UserService {
    public static final int MIN_PASSWORD_LENGTH = 12;
    /** Long enough for any passphrase, short enough that hashing a request body cannot be made costly. */
    public static final int MAX_PASSWORD_LENGTH = 1024;
    private final UserRepository users;
    private final TenantRepository tenants;
    private final Passwords passwords;
    private final Ids ids;
    private final Clock clock;
    /** Hashed against when the email is unknown, so that the answer takes as long as for a wrong password. */
    private final String dummyHash;

    public UserService(UserRepository users, TenantRepository tenants, Passwords passwords, Ids ids, Clock clock) {
        this.users = users;
        this.tenants = tenants;
        this.passwords = passwords;
        this.ids = ids;
        this.clock = clock;
        this.dummyHash = passwords.hash(Secrets.generate());
    }

    public User create(String email, String password, Role role, String tenantId) {
        var errors = new ArrayList<FieldError>();
        var address = normaliseEmail(email, errors);
        if (password != null && password.codePointCount(0, password.length()) < MIN_PASSWORD_LENGTH) {
            errors.add(new FieldError("password", "must have at least " + MIN_PASSWORD_LENGTH + " characters"));
        } else if (password != null && password.length() > MAX_PASSWORD_LENGTH) {
            errors.add(new FieldError("password", "must have at most " + MAX_PASSWORD_LENGTH + " characters"));
        }
        if (role == Role.CLIENT_VIEWER && tenantId == null) {
            errors.add(new FieldError("tenant_id", "is required for a client_viewer: the one tenant it sees"));
        } else if (role != null && role.isAgency() && tenantId != null) {
            errors.add(new FieldError("tenant_id", "must be left out for " + role.name().toLowerCase(Locale.ROOT) + ": agency users see every tenant"));
        } else if (tenantId != null && tenants.find(Scope.AGENCY, tenantId).isEmpty()) {
            errors.add(new FieldError("tenant_id", "no tenant " + tenantId));
        }
        if (password == null) {
            errors.add(new FieldError("password", "is required"));
        }
        if (role == null) {
            errors.add(new FieldError("role", "is required: one of agency_admin, agency_operator, client_viewer"));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        if (users.findByEmail(address).isPresent()) {
            throw duplicate(address);
        }
        var user = new User(ids.next("usr"), address, role, tenantId, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        try {
            users.insert(user, passwords.hash(password));
        } catch (UnableToExecuteStatementException e) {
            if (Constraints.violated(e) && users.findByEmail(address).isPresent()) {
                throw duplicate(address);
            }
            throw e;
        }
        return user;
    }

    public Page<User> list(String after, int limit) {
        return users.list(after, limit);
    }

    public User get(String id) {
        return users.find(id).orElseThrow(() -> new NotFoundException("user", id));
    }

    /** Removes the user and ends its sessions. */
    public void delete(String id) {
        if (!users.delete(id)) {
            throw new NotFoundException("user", id);
        }
    }

    /** The user with this email and password; empty otherwise, in about the same time whether the email is known or not. */
    public Optional<User> authenticate(String email, String password) {
        if (email == null || password == null || password.length() > MAX_PASSWORD_LENGTH) {
            return Optional.empty();
        }
        var stored = users.findByEmail(email.strip().toLowerCase(Locale.ROOT));
        if (stored.isEmpty()) {
            passwords.matches(password, dummyHash);
            return Optional.empty();
        }
        return passwords.matches(password, stored.get().passwordHash()) ? Optional.of(stored.get().user()) : Optional.empty();
    }

    /** The address in lower case, so that an email logs in however it is typed. */
    private static String normaliseEmail(String email, java.util.List<FieldError> errors) {
        if (email == null) {
            errors.add(new FieldError("email", "is required"));
            return null;
        }
        try {
            var parsed = EmailAddress.parse(email);
            if (parsed.displayName() != null || email.contains("<")) {
                errors.add(new FieldError("email", "must be a bare address (name@example.com)"));
                return null;
            }
            return parsed.address().toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("email", e.getMessage()));
            return null;
        }
    }

    private static ConflictException duplicate(String email) {
        return new ConflictException(null, "a user with email " + email + " exists already");
    }
}
