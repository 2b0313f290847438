package dev.mailroom.dns.spf;

import java.util.Optional;

/**
 * The mechanisms of RFC 7208 section 5. A domain-spec left out ({@code a}, {@code mx},
 * {@code ptr}) means the domain whose record is being evaluated. {@code ip4} and {@code ip6}
 * share one type because they are evaluated alike; the network's address family tells them apart.
 */
public sealed interface Mechanism {
    /** Matches always; usually the last directive. */
    record All() implements Mechanism {}

    /** Matches when the other domain's check passes. */
    record Include(MacroString domain) implements Mechanism {}

    /** Matches when the client is within the given prefix of one of the name's addresses. */
    record A(Optional<MacroString> domain, CidrLengths cidr) implements Mechanism {}

    /** As {@link A}, for the addresses of the name's mail exchangers. */
    record Mx(Optional<MacroString> domain, CidrLengths cidr) implements Mechanism {}

    /** Matches when the client's validated reverse name is the domain or under it; RFC 7208 says not to use it. */
    record Ptr(Optional<MacroString> domain) implements Mechanism {}

    /** {@code ip4:} or {@code ip6:}: matches when the client is in the network. */
    record Ip(IpNetwork network) implements Mechanism {}

    /** Matches when the name has any A record, whatever the client's address family. */
    record Exists(MacroString domain) implements Mechanism {}
}
