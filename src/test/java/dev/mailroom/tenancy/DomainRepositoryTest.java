package dev.mailroom.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.dkim.DkimAlgorithm;
import dev.mailroom.dns.DnsSetup;
import dev.mailroom.store.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

@ParameterizedClass
@MethodSource("dev.mailroom.store.TestDatabase#all")
class DomainRepositoryTest {
    @Parameter
    TestDatabase kind;

    private TenancyFixture fixture;
    private Tenant tenantA;
    private Tenant tenantB;

    @BeforeEach
    void open() {
        fixture = new TenancyFixture(kind);
        tenantA = fixture.tenants.create("A", Map.of());
        tenantB = fixture.tenants.create("B", Map.of());
    }

    @AfterEach
    void close() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void domainIsStoredWithSealedKeysThatSignAndVerify() throws Exception {
        var added = fixture.domains.add(Scope.AGENCY, tenantA.id(), "News.ClientA.example.", Stream.MARKETING, DnsSetup.CNAME);
        var domain = added.domain();
        assertThat(domain.name()).isEqualTo("news.clienta.example");
        assertThat(fixture.domainRepository.find(Scope.AGENCY, domain.id())).contains(domain);

        var keys = fixture.domainRepository.keysOf(domain.id());
        assertThat(keys).extracting(DomainKey::algorithm).containsExactlyInAnyOrder(DkimAlgorithm.RSA_SHA256, DkimAlgorithm.ED25519_SHA256);
        for (var key : keys) {
            assertThat(key.sealedPrivateKey()).startsWith("v1:");
            var pkcs8 = fixture.sealer.open(key.sealedPrivateKey(), DomainKey.sealContext(key.id()));
            assertThat(signsForPublishedKey(key, pkcs8)).isTrue();
        }
    }

    /** Signs with the unsealed private key and verifies with the public key as published in DNS. */
    private static boolean signsForPublishedKey(DomainKey key, byte[] pkcs8) throws Exception {
        var data = "dkim".getBytes(StandardCharsets.US_ASCII);
        var published = Base64.getDecoder().decode(key.publicKey());
        return switch (key.algorithm()) {
            case RSA_SHA256 -> {
                var factory = KeyFactory.getInstance("RSA");
                var signer = Signature.getInstance("SHA256withRSA");
                signer.initSign(factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
                signer.update(data);
                var verifier = Signature.getInstance("SHA256withRSA");
                verifier.initVerify(factory.generatePublic(new X509EncodedKeySpec(published)));
                verifier.update(data);
                yield verifier.verify(signer.sign());
            }
            case ED25519_SHA256 -> {
                assertThat(published).hasSize(32);
                var factory = KeyFactory.getInstance("Ed25519");
                var signer = Signature.getInstance("Ed25519");
                signer.initSign(factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
                signer.update(data);
                var spki = new byte[44];
                System.arraycopy(java.util.HexFormat.of().parseHex("302a300506032b6570032100"), 0, spki, 0, 12);
                System.arraycopy(published, 0, spki, 12, 32);
                var verifier = Signature.getInstance("Ed25519");
                verifier.initVerify(factory.generatePublic(new X509EncodedKeySpec(spki)));
                verifier.update(data);
                yield verifier.verify(signer.sign());
            }
        };
    }

    @Test
    void aSealedKeyDoesNotOpenOnAnotherRow() {
        var domain = fixture.domains.add(Scope.AGENCY, tenantA.id(), "news.clienta.example", Stream.MARKETING, DnsSetup.CNAME).domain();
        var keys = fixture.domainRepository.keysOf(domain.id());
        assertThatThrownBy(() -> fixture.sealer.open(keys.get(0).sealedPrivateKey(), DomainKey.sealContext(keys.get(1).id())))
                .isInstanceOf(dev.mailroom.dkim.SecretSealer.SealException.class);
    }

    @Test
    void aNameBelongsToOneTenant() {
        fixture.domains.add(Scope.AGENCY, tenantA.id(), "news.clienta.example", Stream.MARKETING, DnsSetup.CNAME);
        assertThatThrownBy(() -> fixture.domains.add(Scope.AGENCY, tenantB.id(), "news.clienta.example", Stream.TRANSACTIONAL, DnsSetup.CNAME))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.field()).isEqualTo("name"));
        assertThat(fixture.domains.list(Scope.tenant(tenantB.id()), null, 10).data()).isEmpty();
    }

    @Test
    void theDatabaseRefusesADomainOnANameAnotherTenantClaimed() {
        var claimed = fixture.domains.add(Scope.AGENCY, tenantA.id(), "news.clienta.example", Stream.MARKETING, DnsSetup.CNAME).domain();
        var now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        // as if B's request had checked the name while it was free and inserted after A claimed it
        var intruder = new Domain("dom_intruder", tenantB.id(), claimed.name(), Stream.TRANSACTIONAL, DnsSetup.CNAME,
                DomainStatus.PENDING, claimed.token(), null, now, now);
        assertThatThrownBy(() -> fixture.domainRepository.insert(intruder, false, List.of(), now))
                .isInstanceOf(org.jdbi.v3.core.statement.UnableToExecuteStatementException.class);
        assertThat(fixture.domains.list(Scope.tenant(tenantB.id()), null, 10).data()).isEmpty();
    }

    @Test
    void theOwnerMayUseANameForASecondStreamSharingItsToken() {
        var marketing = fixture.domains.add(Scope.AGENCY, tenantA.id(), "news.clienta.example", Stream.MARKETING, DnsSetup.CNAME);
        var transactional = fixture.domains.add(Scope.AGENCY, tenantA.id(), "news.clienta.example", Stream.TRANSACTIONAL, DnsSetup.CNAME);
        assertThat(transactional.domain().token()).isEqualTo(marketing.domain().token());
        assertThat(fixture.domainRepository.streamsOf(tenantA.id(), "news.clienta.example"))
                .containsExactly(Stream.MARKETING, Stream.TRANSACTIONAL);
        assertThatThrownBy(() -> fixture.domains.add(Scope.AGENCY, tenantA.id(), "news.clienta.example", Stream.MARKETING, DnsSetup.TXT))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void scopesLimitWhatIsFoundAndListed() {
        var a1 = fixture.domains.add(Scope.AGENCY, tenantA.id(), "news.clienta.example", Stream.MARKETING, DnsSetup.CNAME).domain();
        var a2 = fixture.domains.add(Scope.AGENCY, tenantA.id(), "tx.clienta.example", Stream.TRANSACTIONAL, DnsSetup.CNAME).domain();
        var b1 = fixture.domains.add(Scope.AGENCY, tenantB.id(), "tx.clientb.example", Stream.TRANSACTIONAL, DnsSetup.CNAME).domain();

        assertThat(fixture.domainRepository.find(Scope.tenant(tenantB.id()), a1.id())).isEmpty();
        assertThat(fixture.domainRepository.find(new Scope(tenantA.id(), Set.of(a2.id())), a1.id())).isEmpty();
        assertThat(ids(fixture.domains.list(Scope.tenant(tenantA.id()), null, 10))).containsExactly(a1.id(), a2.id());
        assertThat(ids(fixture.domains.list(new Scope(tenantA.id(), Set.of(a2.id())), null, 10))).containsExactly(a2.id());
        assertThat(ids(fixture.domains.list(new Scope(tenantA.id(), Set.of()), null, 10))).isEmpty();
        assertThat(fixture.domains.list(Scope.AGENCY, null, 2).nextCursor()).isEqualTo(a2.id());
        assertThat(ids(fixture.domains.list(Scope.AGENCY, a2.id(), 2))).containsExactly(b1.id());
        assertThat(fixture.domainRepository.idsOwnedBy(tenantA.id(), List.of(a1.id(), b1.id()))).containsExactly(a1.id());
    }

    private static List<String> ids(dev.mailroom.store.Page<DomainDetails> page) {
        return page.data().stream().map(details -> details.domain().id()).toList();
    }

    @Test
    void deleteRemovesKeysAndReleasesTheName() {
        var domain = fixture.domains.add(Scope.AGENCY, tenantA.id(), "news.clienta.example", Stream.MARKETING, DnsSetup.CNAME).domain();
        assertThatThrownBy(() -> fixture.domains.delete(Scope.tenant(tenantB.id()), domain.id())).isInstanceOf(NotFoundException.class);
        fixture.domains.delete(Scope.tenant(tenantA.id()), domain.id());
        assertThat(fixture.domainRepository.keysOf(domain.id())).isEmpty();
        assertThat(fixture.domainRepository.claimOf("news.clienta.example")).isEmpty();
        fixture.domains.add(Scope.AGENCY, tenantB.id(), "news.clienta.example", Stream.MARKETING, DnsSetup.CNAME);
    }
}
