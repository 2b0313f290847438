package dev.mailroom.web;

/** The viewer may see the page but not do this (an operator at key management, a client viewer at an action). */
public final class Forbidden extends RuntimeException {
    public Forbidden(String message) {
        super(message);
    }
}
