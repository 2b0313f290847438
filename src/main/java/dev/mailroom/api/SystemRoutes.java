package dev.mailroom.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.javalin.http.Context;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Unauthenticated endpoints for operators and tools: health, Prometheus metrics, the OpenAPI document. */
final class SystemRoutes {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private final BooleanSupplier storeHealthy;
    private final PrometheusMeterRegistry metrics;
    private final JsonNode openApi;

    SystemRoutes(BooleanSupplier storeHealthy, PrometheusMeterRegistry metrics, JsonNode openApi) {
        this.storeHealthy = storeHealthy;
        this.metrics = metrics;
        this.openApi = openApi;
    }

    void register(RouteTable routes) {
        routes.get("/healthz", this::health);
        routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape()));
        routes.get("/v1/openapi.json", ctx -> ctx.json(openApi));
    }

    private void health(Context ctx) {
        boolean database = storeHealthy.getAsBoolean();
        ctx.status(database ? 200 : 503).json(Map.of("status", database ? "ok" : "unavailable", "database", database ? "ok" : "unreachable"));
    }
}
