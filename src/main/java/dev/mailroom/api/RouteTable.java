package dev.mailroom.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;

/** Registers routes with Javalin and remembers them, so the OpenAPI document can be checked against them. */
final class RouteTable {
    record Route(HandlerType method, String path) {}

    private final RoutesConfig routes;
    private final List<Route> registered = new ArrayList<>();

    RouteTable(RoutesConfig routes) {
        this.routes = routes;
    }

    void add(HandlerType method, String path, Handler handler) {
        routes.addHttpHandler(method, path, handler);
        registered.add(new Route(method, path));
    }

    void get(String path, Handler handler) {
        add(HandlerType.GET, path, handler);
    }

    void post(String path, Handler handler) {
        add(HandlerType.POST, path, handler);
    }

    void put(String path, Handler handler) {
        add(HandlerType.PUT, path, handler);
    }

    void patch(String path, Handler handler) {
        add(HandlerType.PATCH, path, handler);
    }

    void delete(String path, Handler handler) {
        add(HandlerType.DELETE, path, handler);
    }

    List<Route> registered() {
        return List.copyOf(registered);
    }
}
