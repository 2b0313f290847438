package dev.mailroom.tracking;

import dev.mailroom.events.EventLog;
import dev.mailroom.events.TrackedMessage;
import dev.mailroom.feedback.SuppressionList;
import dev.mailroom.feedback.SuppressionReason;
import dev.mailroom.message.TrackingToken;
import dev.mailroom.message.TrackingToken.Kind;
import dev.mailroom.message.TrackingToken.Target;
import dev.mailroom.tenancy.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the tracking URLs in sent mail do: a click leads to the link's original URL, an open is
 * counted, an unsubscribe suppresses the recipient for the sending domain; each is announced as
 * an event of the message. A token counts only when its MAC holds, its message exists, and it
 * arrives on the host its URL was made for (see {@link #servedHere}).
 */
public final class Tracker {
    private static final Logger LOG = LoggerFactory.getLogger(Tracker.class);
    private final TrackingToken tokens;
    private final Messages messages;
    private final DomainNames domains;
    private final SuppressionList suppressions;
    private final EventLog events;
    private final String platformHost;
    private final Clock clock;
    private final MachineDetector machines = new MachineDetector();

    /** Where messages are found: the message index, or the queue of those about to be written to it. */
    public interface Messages {
        Optional<TrackedMessage> find(String id);
    }

    /** The name of a message's domain, while it exists: the tenant's own, or the agency's that signed a sender identity's mail. */
    public interface DomainNames {
        Optional<String> nameOf(String tenantId, String domainId);
    }

    /** @param platformDomain {@code track.<platform_domain>}, the target of every client's {@code t.} CNAME, is served too */
    public Tracker(TrackingToken tokens, Messages messages, DomainNames domains, SuppressionList suppressions, EventLog events,
            String platformDomain, Clock clock) {
        this.tokens = tokens;
        this.messages = messages;
        this.domains = domains;
        this.suppressions = suppressions;
        this.events = events;
        this.platformHost = "track." + platformDomain.toLowerCase(Locale.ROOT);
        this.clock = clock;
    }

    /** A token that holds here: what it names, its message, and the message's sending domain. */
    private record Hit(Target target, TrackedMessage message, String domain) {
        /** The recipient's address, or null when the token names the whole message. */
        String email() {
            return target.recipientIndex().isPresent() ? message.recipients().get(target.recipientIndex().getAsInt()).email() : null;
        }

        /**
         * When the message reached the recipient (the last of them, for a whole-message token); its
         * acceptance when no delivery is recorded yet, as no delivery can be earlier.
         */
        Instant deliveredAt() {
            var recipients = target.recipientIndex().isPresent()
                    ? List.of(message.recipients().get(target.recipientIndex().getAsInt())) : message.recipients();
            return recipients.stream().map(TrackedMessage.Recipient::deliveredAt).filter(Objects::nonNull)
                    .max(Comparator.naturalOrder()).orElse(message.createdAt());
        }
    }

    /** The original URL of a tracked link, once the click is recorded; empty unless the token vouches for that URL here. */
    public Optional<String> click(String token, Visit visit) {
        return resolve(Kind.CLICK, token, visit).flatMap(hit -> {
            int link = hit.target().linkIndex().getAsInt();
            if (link >= hit.message().links().size()) {
                return Optional.empty();
            }
            var url = hit.message().links().get(link);
            try {
                announce(hit, "message.clicked", visit, url);
            } catch (RuntimeException e) {
                LOG.warn("could not record a click on {} of {}; the link is followed all the same", link, hit.message().id(), e);
            }
            return Optional.of(url);
        });
    }

    /** Records an open when the token holds here; never fails, as the pixel is served whatever happens. */
    public void open(String token, Visit visit) {
        try {
            resolve(Kind.OPEN, token, visit).ifPresent(hit -> announce(hit, "message.opened", visit, null));
        } catch (RuntimeException e) {
            LOG.warn("could not record an open", e);
        }
    }

    /** Whom an unsubscribe token names, changing nothing (link scanners fetch pages); empty unless it holds here. */
    public Optional<Unsubscribe> unsubscribeTarget(String token, Visit visit) {
        return resolve(Kind.UNSUBSCRIBE, token, visit).map(Tracker::target);
    }

    /**
     * Suppresses the recipient a token names for the message's sending domain (not the tenant's
     * other domains: leaving a newsletter must not stop password resets), announcing
     * {@code message.unsubscribed} in the transaction that adds the entry; an address already
     * suppressed for the domain changes nothing and announces nothing. A whole-message token
     * suppresses no one.
     */
    public Optional<Unsubscribe> unsubscribe(String token, Visit visit) {
        var hit = resolve(Kind.UNSUBSCRIBE, token, visit);
        hit.ifPresent(h -> suppress(h, data(h, visit)));
        return hit.map(Tracker::target);
    }

    /**
     * The mailto address of List-Unsubscribe (RFC 2369), reached through the inbound MX: the same as
     * the one-click POST, with no Host to check (the address's HMAC is the proof).
     */
    public Optional<Unsubscribe> unsubscribeByMail(TrackingToken.Target target) {
        var hit = hit(target, domain -> true);
        hit.ifPresent(h -> {
            var data = data(h, new Visit(null, null, null));
            data.put("via", "mailto");
            suppress(h, data);
        });
        return hit.map(Tracker::target);
    }

    private void suppress(Hit hit, java.util.Map<String, Object> data) {
        if (hit.email() == null) {
            return; // a whole-message token names no one
        }
        var tenant = hit.message().tenantId();
        suppressions.addAnnounced(Scope.tenant(tenant), tenant, hit.message().domainId(), hit.email(), SuppressionReason.UNSUBSCRIBE,
                handle -> events.append(handle, tenant, "message.unsubscribed", hit.message().id(), data).id());
    }

    private static Unsubscribe target(Hit hit) {
        return hit.email() == null ? new Unsubscribe.Shared(hit.domain()) : new Unsubscribe.Recipient(hit.email(), hit.domain());
    }

    private Optional<Hit> resolve(Kind kind, String token, Visit visit) {
        return tokens.decode(kind, token).flatMap(target -> hit(target, name -> servedHere(visit.host(), name)));
    }

    private Optional<Hit> hit(TrackingToken.Target target, java.util.function.Predicate<String> domainServed) {
        return messages.find(target.messageId())
                .filter(message -> target.recipientIndex().isEmpty() || target.recipientIndex().getAsInt() < message.recipients().size())
                .flatMap(message -> domains.nameOf(message.tenantId(), message.domainId())
                        .filter(domainServed)
                        .map(name -> new Hit(target, message, name)));
    }

    /**
     * Whether a request for a message of {@code domain} may be answered on {@code host}: only on
     * the domain's own {@code t.} host (where its URLs point) or the platform's {@code track.} host.
     * Otherwise one client's tracking host would redirect to, and count for, another client's
     * mail, lending its name (and the reputation filters give it) to links it never sent.
     */
    private boolean servedHere(String host, String domain) {
        var name = hostName(host);
        return name.equals("t." + domain) || name.equals(platformHost);
    }

    /** The name in a Host header: lower case, without port or trailing dot. */
    static String hostName(String host) {
        if (host == null) {
            return "";
        }
        var name = host.strip().toLowerCase(Locale.ROOT);
        int colon = name.lastIndexOf(':');
        if (colon >= 0 && !name.endsWith("]")) {
            name = name.substring(0, colon);
        }
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private void announce(Hit hit, String type, Visit visit, String url) {
        var data = data(hit, visit);
        if (url != null) {
            data.put("url", url);
        }
        var machine = machines.reason(hit.target().kind(), visit.userAgent(), Duration.between(hit.deliveredAt(), clock.instant()));
        data.put("machine", machine.isPresent());
        machine.ifPresent(reason -> data.put("machine_reason", reason));
        events.append(hit.message().tenantId(), type, hit.message().id(), data);
    }

    /** What every tracking event says; the address only when the token names a recipient, and nothing the request did not tell. */
    private static Map<String, Object> data(Hit hit, Visit visit) {
        var data = new LinkedHashMap<String, Object>();
        data.put("message_id", hit.message().id());
        if (hit.email() != null) {
            data.put("email", hit.email());
        }
        data.put("domain_id", hit.message().domainId());
        if (visit.userAgent() != null) {
            data.put("user_agent", visit.userAgent());
        }
        if (visit.ip() != null) {
            data.put("ip", visit.ip());
        }
        return data;
    }
}
