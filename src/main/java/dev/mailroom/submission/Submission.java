package dev.mailroom.submission;

import dev.mailroom.dkim.DkimSigner;
import dev.mailroom.events.MessageIndex;
import dev.mailroom.events.BatchedWriter;
import dev.mailroom.events.MessageRecord;
import dev.mailroom.events.MessageView;
import dev.mailroom.events.RecipientStatus;
import dev.mailroom.message.Draft;
import dev.mailroom.message.EmailAddress;
import dev.mailroom.message.HeaderBlock;
import dev.mailroom.message.MimeComposer;
import dev.mailroom.spool.RecipientState;
import dev.mailroom.spool.Spool;
import dev.mailroom.spool.SpooledMessage;
import dev.mailroom.store.Ids;
import dev.mailroom.submission.SubmissionRefused.Kind;
import dev.mailroom.tenancy.ConflictException;
import dev.mailroom.tenancy.NotFoundException;
import dev.mailroom.tenancy.Scope;
import dev.mailroom.tenancy.Stream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Takes messages from the front ends (send API, SMTP submission) to the spool: policy, caps,
 * suppressions, composition, DKIM signing, then one synced spool write. Only after that write
 * does a caller hear "accepted"; the message index and events follow in batches.
 */
public final class Submission {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Submission.class);
    /** How long acceptance waits for room in the index writer's queue before answering "busy". */
    static final Duration INDEX_ROOM_WAIT = Duration.ofSeconds(5);
    private static final String CONTROL_PREFIX = "x-mailroom-";
    /** Messages read per query when cancelling a tenant's queue. */
    private static final int CANCEL_BATCH = 500;
    static final int MAX_TAGS = 10;
    static final int MAX_TAG_LENGTH = 100;
    static final int MAX_INDEXED_SUBJECT = 1000;
    /** Characters of tracked link URLs one message may keep (the index stores them for the click endpoint). */
    static final int MAX_LINK_CHARACTERS = 500_000;

    /** What a tenant's suppression list says about some addresses. */
    public interface Suppressions {
        Set<String> suppressedAmong(String tenantId, String domainId, Collection<String> emails);
    }

    /**
     * Where an SMTP message came from, for its Received field (RFC 5321 4.4): the client's HELO
     * name and address, this server's name, and the protocol (RFC 3848: ESMTPSA = TLS and AUTH).
     */
    public record Trace(String helo, String clientAddress, String by, String protocol) {
        String header(String id, Instant at) {
            return "from " + helo.replaceAll("[^\\x21-\\x7e]", "?") + " ([" + clientAddress + "]) by " + by + " (Mailroom) with " + protocol
                    + " id " + id + "; " + MimeComposer.date(at);
        }
    }

    /** A tenant's sender identities with an address (lower-case), among the scope's tenants. */
    public interface Identities {
        List<dev.mailroom.tenancy.Identity> withEmail(Scope scope, String email);
    }

    /** Limits on what is accepted. */
    public record Limits(int maxRecipients, long maxMessageBytes, int hourlyCap, int dailyCap) {}

    private final SendPolicy policy;
    private final Suppressions suppressions;
    private final SigningKeys signingKeys;
    private final SendingCaps caps;
    private final Decorations decorations;
    private final MimeComposer composer = new MimeComposer();
    private final DkimSigner signer;
    private final Spool spool;
    private final MessageIndex index;
    private final BatchedWriter<MessageRecord> indexWriter;
    private final Ids ids;
    private final Clock clock;
    private final Limits limits;

    public Submission(dev.mailroom.tenancy.DomainRepository domains, dev.mailroom.tenancy.TenantRepository tenants,
            dev.mailroom.tenancy.TenantService tenantService, dev.mailroom.tenancy.DomainService domainService, Suppressions suppressions, Decorations decorations, Spool spool,
            MessageIndex index, BatchedWriter<MessageRecord> indexWriter, Ids ids, Clock clock, Limits limits, Identities identities,
            EmailAddress identitiesFrom) {
        this.policy = new SendPolicy(domains, tenants, identities, identitiesFrom == null ? null : identitiesFrom.domain(), clock);
        domainService.onChange(policy::forget);
        tenantService.onChange(policy::forget);
        this.suppressions = suppressions;
        this.signingKeys = new SigningKeys(domainService, clock);
        this.caps = new SendingCaps(clock, limits.hourlyCap(), limits.dailyCap(), index::recipientsSince);
        this.decorations = decorations;
        this.signer = new DkimSigner(clock);
        this.spool = spool;
        this.index = index;
        this.indexWriter = indexWriter;
        this.ids = ids;
        this.clock = clock;
        this.limits = limits;
    }

    public Limits limits() {
        return limits;
    }

    /** Accepts one message from the send API. */
    public Receipt send(Sender sender, SendRequest request) {
        return sendAll(sender, List.of(request), false).get(0);
    }

    /**
     * Accepts a batch: every message, or (when one is refused) none. Refusals inside a batch
     * name the field as {@code messages[i].field}.
     */
    public List<Receipt> sendBatch(Sender sender, List<SendRequest> requests) {
        return sendAll(sender, requests, true);
    }

    private List<Receipt> sendAll(Sender sender, List<SendRequest> requests, boolean batch) {
        var prepared = new ArrayList<Prepared>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            try {
                prepared.add(prepare(sender, requests.get(i)));
            } catch (SubmissionRefused e) {
                throw batch ? e.within("messages[" + i + "].") : e;
            }
        }
        return accept(prepared);
    }

    /**
     * Accepts a message that arrived by SMTP: its From header decides the domain (policy as for
     * the API), Bcc and Mailroom's control headers ({@code X-Mailroom-Stream}, {@code X-Mailroom-Tag})
     * are taken out, and missing Message-ID, Date, List-Unsubscribe and Feedback-ID are added.
     */
    public Receipt submitRaw(Sender sender, List<String> recipients, byte[] message, Trace trace) {
        var block = HeaderBlock.parse(message);
        var from = singleMailbox(block.values("From"));
        var stream = streamOf(block.values("X-Mailroom-Stream"));
        var tags = block.values("X-Mailroom-Tag").stream().flatMap(v -> java.util.Arrays.stream(v.split(",")))
                .map(String::strip).filter(t -> !t.isEmpty()).distinct().toList();
        if (tags.size() > MAX_TAGS || tags.stream().anyMatch(t -> t.length() > MAX_TAG_LENGTH)) {
            throw new SubmissionRefused(Kind.MALFORMED, "tags", "X-Mailroom-Tag names at most " + MAX_TAGS + " tags of up to "
                    + MAX_TAG_LENGTH + " characters");
        }
        // the index shows the subject as written (encoded words and all), cut to what a list needs
        var subject = block.values("Subject").stream().findFirst().map(v -> v.length() > MAX_INDEXED_SUBJECT ? v.substring(0, MAX_INDEXED_SUBJECT) : v)
                .orElse(null);
        block.remove("Bcc");
        block.remove("Return-Path");
        block.fields().stream().map(HeaderBlock.Field::name).filter(n -> n.toLowerCase(Locale.ROOT).startsWith(CONTROL_PREFIX))
                .distinct().forEach(block::remove);
        var sending = policy.check(sender, from, stream);
        var id = ids.next("msg");
        var now = now();
        if (!block.has("Message-ID")) {
            block.add("Message-ID", "<" + id + "@" + sending.domain().name() + ">");
        }
        if (!block.has("Date")) {
            block.add("Date", MimeComposer.date(now));
        }
        if (sending.domain().stream().isBulk() && !block.has("List-Unsubscribe")) {
            var uris = decorations.listUnsubscribe(sending, id, recipients.size());
            block.add("List-Unsubscribe", String.join(", ", uris.stream().map(uri -> "<" + uri + ">").toList()));
            block.add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        if (!block.has("Feedback-ID")) {
            block.add("Feedback-ID", Decorations.feedbackId(sending, tags));
        }
        block.prepend("Received", trace.header(id, now));
        var envelope = new ArrayList<String>(recipients);
        return accept(List.of(finish(sending, id, now, null, from.address(), subject, "smtp", tags, Map.of(), List.of(), envelope,
                block.toBytes())))
                .get(0);
    }

    /** The agency's domain that signs sender identities' mail; refused when identities.from does not name a verified one. */
    dev.mailroom.tenancy.Domain identityDomain() {
        return policy.identityDomain();
    }

    /** A message within the caller's reach, with each recipient's state. */
    public Optional<MessageView> find(Scope scope, String id) {
        var found = index.find(scope, id);
        if (found.isPresent()) {
            return found;
        }
        return indexWriter.unwritten(id).filter(record -> scope.coversDomain(record.tenantId(), record.domainId()))
                .map(MessageView::pending);
    }

    /** Cancels a scheduled message's recipients that have not been sent; only before its send_at. */
    public synchronized MessageView cancel(Scope scope, String id) throws InterruptedException {
        flushIndex();
        var message = index.find(scope, id).orElseThrow(() -> new NotFoundException("message", id));
        if (message.sendAt() == null || !message.sendAt().isAfter(clock.instant())) {
            throw new ConflictException(null, "message " + id + " is not scheduled for later (send_at), so it cannot be cancelled");
        }
        cancelUnfinished(message);
        return index.find(scope, id).orElseThrow();
    }

    /**
     * Cancels every queued or deferred recipient of a tenant (which is offboarded: nothing new comes
     * in meanwhile) in this node's spool and in the index; returns how many were cancelled.
     */
    public synchronized int cancelTenant(String tenantId) throws InterruptedException {
        flushIndex();
        int cancelled = 0;
        List<String> ids;
        String after = null;
        do {
            ids = index.unfinished(tenantId, after, CANCEL_BATCH);
            for (var id : ids) {
                cancelled += cancelUnfinished(index.find(Scope.tenant(tenantId), id).orElseThrow());
            }
            after = ids.isEmpty() ? after : ids.getLast();
        } while (ids.size() == CANCEL_BATCH);
        return cancelled;
    }

    /** Whether a recipient of the tenant is still queued or deferred. */
    public boolean hasUnfinished(String tenantId) {
        return !index.unfinished(tenantId, null, 1).isEmpty();
    }

    private void flushIndex() throws InterruptedException {
        if (!indexWriter.flush(Duration.ofSeconds(10))) {
            throw new IllegalStateException("the database is behind with recording accepted mail; try again shortly");
        }
    }

    private int cancelUnfinished(MessageView message) {
        spool.cancelQueued(message.id());
        // every recipient cancelled in the spool, now or by an earlier attempt that failed halfway
        var states = spool.states(message.id());
        var positions = new ArrayList<Integer>();
        for (var recipient : index.recipientsOf(message.id())) {
            var spoolIndex = recipient.spoolIndex();
            if (spoolIndex != null && spoolIndex < states.size() && states.get(spoolIndex) == RecipientState.CANCELLED) {
                positions.add(recipient.position());
            }
        }
        return index.cancel(message, positions, now());
    }

    /**
     * After a start: writes to the index every spooled message the index may lack (the process
     * may have stopped between the spool write and the index write). Returns how many.
     */
    public int recover() throws InterruptedException {
        var count = new int[1];
        var batch = new ArrayList<MessageRecord>();
        var interrupted = new boolean[1];
        spool.unrecorded(message -> {
            MessageNotes.decode(message.notes()).ifPresent(batch::add);
            count[0]++;
            if (batch.size() >= 1000 && !interrupted[0]) {
                interrupted[0] = !handOver(batch);
                batch.clear();
            }
        });
        if (interrupted[0] || !handOver(batch)) {
            throw new InterruptedException("interrupted while recovering the message index");
        }
        return count[0];
    }

    /** Gives recovered records to the index writer, which keeps trying while the database is down. */
    private boolean handOver(List<MessageRecord> records) {
        try {
            indexWriter.addWaiting(List.copyOf(records));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Prepared prepare(Sender sender, SendRequest request) {
        var sending = policy.check(sender, request.from(), request.stream());
        var id = ids.next("msg");
        var now = now();
        var recipients = request.recipients().stream().map(EmailAddress::address).toList();
        var sendAt = request.sendAt() != null && request.sendAt().isAfter(now) ? request.sendAt() : null;
        var html = request.html();
        var text = request.text();
        List<String> links = List.of();
        if (request.trackOpens() || request.trackClicks()) {
            var tracked = decorations.track(sending, id, recipients.size(), html, text, request.trackOpens(), request.trackClicks());
            html = tracked.html();
            text = tracked.text();
            links = tracked.links();
            if (links.stream().mapToLong(link -> link.length() + 4).sum() > MAX_LINK_CHARACTERS) {
                throw new SubmissionRefused(Kind.MALFORMED, "html", "the message has more tracked links than Mailroom keeps ("
                        + MAX_LINK_CHARACTERS + " characters of URLs); mark some with data-mailroom-notrack");
            }
        }
        var listUnsubscribe = sending.domain().stream().isBulk() ? decorations.listUnsubscribe(sending, id, recipients.size()) : List.<String>of();
        var draft = new Draft(request.from(), request.to(), request.cc(), request.replyTo(), request.subject(), text, html,
                request.headers(), request.attachments(), id + "@" + sending.domain().name(), now, listUnsubscribe,
                Decorations.feedbackId(sending, request.tags()));
        byte[] bytes;
        try {
            bytes = composer.compose(draft);
        } catch (IllegalArgumentException e) {
            throw new SubmissionRefused(Kind.MALFORMED, null, e.getMessage());
        }
        return finish(sending, id, now, sendAt, request.from().address(), request.subject(), "api", request.tags(), request.metadata(),
                links, recipients, bytes);
    }

    /** The common tail: limits, suppressions, signature, and the spool and index records. */
    private Prepared finish(SendingDomain sending, String id, Instant now, Instant sendAt, String from, String subject, String source,
            List<String> tags, Map<String, String> metadata, List<String> links, List<String> recipients, byte[] unsigned) {
        if (recipients.isEmpty()) {
            throw new SubmissionRefused(Kind.MALFORMED, "to", "the message has no recipients");
        }
        if (recipients.size() > limits.maxRecipients()) {
            throw new SubmissionRefused(Kind.MALFORMED, "to", "the message has " + recipients.size() + " recipients; at most "
                    + limits.maxRecipients() + " are allowed (sending.max_recipients)");
        }
        var dkimKeys = signingKeys.of(sending.domain());
        if (dkimKeys.isEmpty()) {
            throw new SubmissionRefused(Kind.DOMAIN_NOT_VERIFIED, "from", sending.domain().name() + " has no active DKIM key");
        }
        var signed = new ByteArrayOutputStream(unsigned.length + 1200);
        signer.sign(unsigned, dkimKeys).forEach(field -> signed.writeBytes(field.getBytes(StandardCharsets.US_ASCII)));
        signed.writeBytes(unsigned);
        var body = signed.toByteArray();
        if (body.length > limits.maxMessageBytes()) {
            throw new SubmissionRefused(Kind.TOO_LARGE, null, "the message is " + body.length + " bytes once composed and signed; at most "
                    + limits.maxMessageBytes() + " are accepted (sending.max_message_bytes)");
        }
        var keys = new ArrayList<String>(recipients.size());
        for (var recipient : recipients) {
            keys.add(recipientKey(recipient));
        }
        var suppressed = suppressions.suppressedAmong(sending.tenant().id(), sending.domain().id(), keys);
        var spoolRecipients = new ArrayList<String>();
        var spoolIndexOf = new LinkedHashMap<String, Integer>();
        var records = new ArrayList<MessageRecord.Recipient>();
        var outcomes = new ArrayList<Receipt.Outcome>();
        for (int position = 0; position < recipients.size(); position++) {
            var email = recipients.get(position);
            var key = keys.get(position);
            if (suppressed.contains(key)) {
                records.add(new MessageRecord.Recipient(position, null, email, RecipientStatus.SUPPRESSED, "on the suppression list"));
                outcomes.add(new Receipt.Outcome(email, "suppressed", "on the suppression list"));
                continue;
            }
            // an address given twice (to and cc) receives the message once
            var spoolIndex = spoolIndexOf.computeIfAbsent(key, k -> {
                spoolRecipients.add(email);
                return spoolRecipients.size() - 1;
            });
            records.add(new MessageRecord.Recipient(position, spoolIndex, email, RecipientStatus.QUEUED, null));
            outcomes.add(new Receipt.Outcome(email, "queued", null));
        }
        var record = new MessageRecord(id, sending.tenant().id(), sending.domain().id(), from, subject, source, sendAt, tags, metadata,
                links, body.length, now, records);
        var spooled = spoolRecipients.isEmpty() ? null : new SpooledMessage(id, sending.tenant().id(), sending.domain().id(),
                sending.returnPathHost(), spoolRecipients, now, sendAt, priorityOf(sending.domain().stream()), MessageNotes.encode(record), body);
        return new Prepared(sending, spooled, record, new Receipt(id, outcomes));
    }

    private record Prepared(SendingDomain sending, SpooledMessage spooled, MessageRecord record, Receipt receipt) {
        int spooledRecipients() {
            return spooled == null ? 0 : spooled.recipients().size();
        }
    }

    private List<Receipt> accept(List<Prepared> prepared) {
        var toSpool = prepared.stream().map(Prepared::spooled).filter(java.util.Objects::nonNull).toList();
        var spooledRecords = prepared.stream().filter(message -> message.spooled() != null).map(Prepared::record).toList();
        var suppressedOnly = prepared.stream().filter(message -> message.spooled() == null).map(Prepared::record).toList();
        var taken = new ArrayList<Prepared>();
        boolean reserved = false;
        try {
            for (var message : prepared) {
                caps.take(message.sending().tenant(), message.spooledRecipients());
                taken.add(message);
            }
            // a message whose recipients are all suppressed has no spool copy: its record is written first
            if (!suppressedOnly.isEmpty()) {
                index.record(suppressedOnly);
            }
            if (!indexWriter.reserve(spooledRecords.size(), INDEX_ROOM_WAIT)) {
                throw new SubmissionRefused(Kind.BUSY, null, "the database is behind with recording accepted mail; try again shortly");
            }
            reserved = true;
            if (!toSpool.isEmpty()) {
                spool.appendAll(toSpool);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            undo(taken, reserved ? spooledRecords.size() : 0);
            throw new IllegalStateException("interrupted before the message was accepted", e);
        } catch (RuntimeException e) {
            undo(taken, reserved ? spooledRecords.size() : 0);
            throw e;
        }
        // accepted: from here on nothing may fail the request, or a retry would send again
        try {
            indexWriter.add(spooledRecords);
        } catch (IllegalStateException stopping) {
            LOG.info("stopping: {} accepted messages are written to the index at the next start", spooledRecords.size());
        }
        return prepared.stream().map(Prepared::receipt).toList();
    }

    private void undo(List<Prepared> taken, int reservedRecords) {
        taken.forEach(message -> caps.giveBack(message.sending().tenant(), message.spooledRecipients()));
        indexWriter.unreserve(reservedRecords);
    }

    /**
     * How a recipient is compared (suppressions, duplicates): lower case, the domain in its
     * ASCII form, as the suppression list stores addresses; {@code Bob@Bücher.example} and
     * {@code bob@xn--bcher-kva.example} are one recipient.
     */
    private static String recipientKey(String email) {
        int at = email.lastIndexOf('@');
        if (at <= 0) {
            throw new SubmissionRefused(Kind.MALFORMED, "to", "'" + email + "' is not an email address");
        }
        try {
            return email.substring(0, at).toLowerCase(Locale.ROOT) + "@" + dev.mailroom.dns.DomainNames.normalise(email.substring(at + 1));
        } catch (dev.mailroom.dns.InvalidDomainNameException e) {
            throw new SubmissionRefused(Kind.MALFORMED, "to", "the domain of '" + email + "' " + e.getMessage());
        }
    }

    private static EmailAddress singleMailbox(List<String> fromValues) {
        if (fromValues.size() != 1) {
            throw new SubmissionRefused(Kind.MALFORMED, "from", "the message needs exactly one From header field, it has " + fromValues.size());
        }
        try {
            return EmailAddress.fromHeader(fromValues.get(0));
        } catch (IllegalArgumentException e) {
            throw new SubmissionRefused(Kind.MALFORMED, "from", "the From field " + e.getMessage());
        }
    }

    /** A tenant's queue sends transactional mail first, then notifications, then marketing. */
    private static int priorityOf(Stream stream) {
        return switch (stream) {
            case TRANSACTIONAL -> 0;
            case NOTIFICATIONS -> 1;
            case MARKETING -> 2;
        };
    }

    private static Stream streamOf(List<String> values) {
        if (values.isEmpty()) {
            return null;
        }
        try {
            return Stream.valueOf(values.get(0).strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SubmissionRefused(Kind.MALFORMED, "stream", "X-Mailroom-Stream must be transactional, marketing or notifications");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
