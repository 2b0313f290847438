package dev.mailroom.submission;

import dev.mailroom.message.EmailAddress;
import dev.mailroom.submission.SubmissionRefused.Kind;
import dev.mailroom.tenancy.ConflictException;
import dev.mailroom.tenancy.Identity;
import dev.mailroom.tenancy.IdentityService;
import java.util.List;
import java.util.Map;

/**
 * Mails sender identities their confirmation links, from identities.from through the normal
 * submission path, as the tenant that owns that domain (the agency's house tenant). The link
 * points to the domain's tracking host, which Mailroom serves.
 */
public final class IdentityConfirmations implements IdentityService.Confirmations {
    /** Where the confirmation page is served, on every host Mailroom's HTTP listener answers. */
    public static final String CONFIRM_PATH = "/identities/confirm";
    private static final Sender AGENCY = new Sender(null, null, "api");
    private final Submission submission;
    private final EmailAddress from;

    /** @param from identities.from, or null when unset (then every identity is refused) */
    public IdentityConfirmations(Submission submission, EmailAddress from) {
        this.submission = submission;
        this.from = from;
    }

    @Override
    public void requireReady() {
        base();
    }

    @Override
    public void send(Identity identity, String token) {
        var url = base() + CONFIRM_PATH + "?token=" + token;
        var text = """
                Someone asked to send email as %s through this mail service.

                If that was you (or your colleague), confirm the address here:

                %s

                The link works for %d days. If you did not ask for this, ignore this message: nothing will be sent as you.
                """.formatted(identity.email(), url, IdentityService.TOKEN_LIFETIME.toDays());
        var request = new SendRequest(from, List.of(new EmailAddress(null, identity.email())), List.of(), List.of(), null,
                "Confirm " + identity.email() + " as a sender", text, null, Map.of(), List.of(), List.of("identity-confirmation"),
                Map.of("identity_id", identity.id()), false, false, null, null);
        Receipt receipt;
        try {
            receipt = submission.send(AGENCY, request);
        } catch (SubmissionRefused e) {
            throw translated(e);
        }
        if (receipt.recipients().stream().anyMatch(outcome -> !outcome.status().equals("queued"))) {
            throw new ConflictException(null, identity.email() + " is on the suppression list of the tenant that owns identities.from ("
                    + from.address() + "), so no confirmation can be mailed to it");
        }
    }

    /** Where the confirmation page is linked, once identities.from is known to name a verified domain. */
    private String base() {
        if (from == null) {
            throw new ConflictException(null, "sender identities are not available: identities.from is not configured "
                    + "(an address at a verified transactional domain of the agency, which sends the confirmation messages)");
        }
        try {
            return SendingDomain.trackingBase(submission.identityDomain());
        } catch (SubmissionRefused e) {
            throw translated(e);
        }
    }

    /** A refusal of identities.from's own mail is the installation's problem, not the request's: say so, not "from". */
    private RuntimeException translated(SubmissionRefused e) {
        if (e.kind() == Kind.BUSY || e.kind() == Kind.CAP_REACHED) {
            return e;
        }
        return new ConflictException(null, "the confirmation message cannot be sent from identities.from (" + from.address() + "): "
                + e.getMessage());
    }
}
