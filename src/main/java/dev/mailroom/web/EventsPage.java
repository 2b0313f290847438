package dev.mailroom.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.api.Json;
import dev.mailroom.events.Event;
import dev.mailroom.events.EventLog;
import dev.mailroom.events.EventTypes;
import dev.mailroom.events.MessageView;
import dev.mailroom.submission.Submission;
import dev.mailroom.tenancy.NotFoundException;
import io.javalin.http.HttpStatus;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * {@code /tenants/{id}/events}: the tenant's events, newest pages on, filtered by type; and a
 * message looked up by id ({@code /tenants/{id}/messages/{messageId}}), each recipient with its
 * state, attempts and the remote server's last reply, as {@code GET /v1/messages/{id}} shows it.
 * Another tenant's message is not found (404).
 */
public final class EventsPage {
    private static final int PAGE = 50;
    private final EventLog events;
    private final Submission submission;
    private final TenantLookup tenants;
    private final Templates templates;
    private final ObjectMapper json = Json.mapper();

    EventsPage(EventLog events, Submission submission, TenantLookup tenants, Templates templates) {
        this.events = events;
        this.submission = submission;
        this.tenants = tenants;
        this.templates = templates;
    }

    /** An event as the API lists it, its data as the API's JSON. */
    public record EventRow(String id, String type, String subjectId, String data, Instant createdAt) {}

    public record View(TenantSummary tenant, String type, List<EventRow> events, String next) {
        public List<String> types() {
            return EventTypes.ALL.stream().sorted().toList();
        }

        public String path() {
            return TenantTab.EVENTS.path(tenant.id());
        }

        public String nextLink() {
            return Links.withQuery(path(), "after", next, "type", type);
        }
    }

    public record MessagePage(TenantSummary tenant, MessageView message, List<EventRow> events) {
        public String eventsPath() {
            return TenantTab.EVENTS.path(tenant.id());
        }

        public static String word(Enum<?> value) {
            return Forms.word(value);
        }
    }

    void register(PageRoutes routes) {
        routes.get("/tenants/{id}/events", (ctx, viewer) -> {
            var tenant = tenants.find(viewer, ctx.pathParam("id"));
            var type = ctx.queryParam("type");
            var page = events.list(new EventLog.Filter(tenant.id(), type == null || type.isBlank() ? null : type, null, null),
                    ctx.queryParam("after"), PAGE);
            templates.page(ctx, viewer, "Events of " + tenant.name(), "events.jte",
                    new View(tenant, type == null ? "" : type, rows(page.data()), page.nextCursor()));
        });
        // the lookup form sends ?id=; the message has a page of its own
        routes.get("/tenants/{id}/messages", (ctx, viewer) -> {
            var tenant = tenants.find(viewer, ctx.pathParam("id"));
            var id = ctx.queryParam("id");
            ctx.redirect(id == null || id.isBlank() ? TenantTab.EVENTS.path(tenant.id())
                    : TenantPage.path(tenant.id()) + "/messages/" + java.net.URLEncoder.encode(id.strip(), java.nio.charset.StandardCharsets.UTF_8),
                    HttpStatus.SEE_OTHER);
        });
        routes.get("/tenants/{id}/messages/{messageId}", (ctx, viewer) -> {
            var tenant = tenants.find(viewer, ctx.pathParam("id"));
            var id = ctx.pathParam("messageId");
            var message = submission.find(Guards.tenantScope(viewer, tenant.id()), id).orElseThrow(() -> new NotFoundException("message", id));
            var trail = events.list(new EventLog.Filter(tenant.id(), null, message.id(), null), null, PAGE).data();
            templates.page(ctx, viewer, "Message " + message.id(), "message.jte", new MessagePage(tenant, message, rows(trail)));
        });
    }

    private List<EventRow> rows(List<Event> page) {
        return page.stream().map(event -> new EventRow(event.id(), event.type(), event.subjectId(), json(event), event.createdAt())).toList();
    }

    private String json(Event event) {
        try {
            return json.writeValueAsString(event.data());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
