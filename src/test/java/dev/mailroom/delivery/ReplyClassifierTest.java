package dev.mailroom.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.delivery.ReplyOutcome.Delivered;
import dev.mailroom.delivery.ReplyOutcome.HardFailure;
import dev.mailroom.delivery.ReplyOutcome.SoftFailure;
import dev.mailroom.smtp.SmtpReply;
import java.util.ArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplyClassifierTest {
    private static final Pattern WIRE_LINE = Pattern.compile("(\\d{3})[ -](?:([245]\\.\\d{1,3}\\.\\d{1,3}) )?(.*)");

    /** A reply as a server sends it, its lines separated by " // " here. */
    private static SmtpReply reply(String wire) {
        Integer code = null;
        String enhanced = null;
        var lines = new ArrayList<String>();
        for (var line : wire.split(" // ")) {
            var matcher = WIRE_LINE.matcher(line);
            assertThat(matcher.matches()).as(line).isTrue();
            code = Integer.valueOf(matcher.group(1));
            enhanced = matcher.group(2);
            lines.add(matcher.group(3));
        }
        return new SmtpReply(code, enhanced, lines);
    }

    /** The outcome as "delivered", or "soft|hard category slow" where slow says the site wants less. */
    private static String describe(ReplyOutcome outcome) {
        return switch (outcome) {
            case Delivered d -> "delivered";
            case SoftFailure(var category, var slowDown) -> "soft " + category.code() + (slowDown ? " slow" : "");
            case HardFailure(var category, var slowDown) -> "hard " + category.code() + (slowDown ? " slow" : "");
        };
    }

    @ParameterizedTest(name = "{1} <- {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        # generic and Gmail acceptances
        250 2.0.0 OK  1717171717 d9443c01a7336-1f6a3a8b5c2si123456ad.123 - gsmtp | delivered
        250 2.6.0 <20240601.abc@news.clienta.com> [InternalId=1234, Hostname=AM0PR01MB1234] Queued mail for delivery | delivered
        250 Ok: queued as 4VxYzW1q2Lz9t | delivered
        # Gmail
        550-5.1.1 The email account that you tried to reach does not exist. Please try // 550-5.1.1 double-checking the recipient's email address for typos or // 550-5.1.1 unnecessary spaces. For more information, go to // 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si123 - gsmtp | hard bad_mailbox
        550-5.2.1 The email account that you tried to reach is disabled. Learn more at // 550 5.2.1  https://support.google.com/mail/?p=DisabledUser | hard bad_mailbox
        452-4.2.2 The email account that you tried to reach is over quota. Please direct // 452 4.2.2 the recipient to  https://support.google.com/mail/?p=OverQuotaTemp | soft mailbox_full
        552-5.2.2 The email account that you tried to reach is over quota and inactive. // 552 5.2.2  https://support.google.com/mail/?p=OverQuotaPerm | hard bad_mailbox
        421-4.7.28 [203.0.113.7      15] Our system has detected an unusual rate of // 421-4.7.28 unsolicited mail originating from your IP address. To protect our // 421-4.7.28 users from spam, mail sent from your IP address has been temporarily // 421-4.7.28 rate limited. Please visit // 421 4.7.28  https://support.google.com/mail/?p=UnsolicitedRateLimitError | soft rate_limited slow
        550-5.7.1 [203.0.113.7] Our system has detected an unusual rate of // 550-5.7.1 unsolicited mail originating from your IP address. To protect our // 550-5.7.1 users from spam, mail sent from your IP address has been blocked. // 550 5.7.1 Please visit https://support.google.com/mail/?p=UnsolicitedIPError | soft rate_limited slow
        421-4.7.0 Try again later, closing connection. (EHLO) // 421 4.7.0  https://support.google.com/mail/answer/7720 | soft rate_limited slow
        421-4.7.0 [203.0.113.7] Our system has detected that this message is // 421-4.7.0 suspicious due to the very low reputation of the sending IP address. // 421 4.7.0 To best protect our users from spam, the message has been blocked. | soft spam_related slow
        550-5.7.1 [203.0.113.7] Gmail has detected that this message is likely // 550-5.7.1 unsolicited mail. To reduce the amount of spam sent to Gmail, this // 550 5.7.1 message has been blocked. | hard spam_related
        550-5.7.26 This mail is unauthenticated, which poses a security risk to the // 550-5.7.26 sender and Gmail users, and has been blocked. The sender must // 550-5.7.26 authenticate with at least one of SPF or DKIM. For this message, // 550 5.7.26 DKIM checks did not pass and SPF check for [clienta.com] did not pass. | hard auth_failure
        550-5.7.26 Unauthenticated email from clienta.com is not accepted due to // 550-5.7.26 domain's DMARC policy. Please contact the administrator of // 550 5.7.26 clienta.com domain if this was a legitimate mail. | hard auth_failure
        550-5.7.27 Your email has been blocked because the sender is unauthenticated. // 550 5.7.27 Gmail requires all senders to authenticate with either SPF or DKIM. | hard auth_failure
        421-4.7.26 Your email has been rate limited because it is unauthenticated. // 421 4.7.26 Gmail requires all senders to authenticate with either SPF or DKIM. | soft auth_failure slow
        550-5.7.25 [203.0.113.7] The IP address sending this message does not have a // 550 5.7.25 PTR record setup, or the corresponding forward DNS entry does not match. | hard auth_failure
        552-5.2.3 Your message exceeded Google's message size limits. Please visit // 552 5.2.3  https://support.google.com/mail/?p=MaxSizeError | hard other
        # Outlook.com and Exchange Online
        451 4.7.500 Server busy. Please try again later from [203.0.113.7]. (S77714) [BN8NAM12FT012.eop-nam12.prod.protection.outlook.com] | soft rate_limited slow
        451 4.7.650 The mail server [203.0.113.7] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775) | soft rate_limited slow
        550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP. For more information please go to http://go.microsoft.com/fwlink/?LinkId=526653 AS(2303) | soft spam_related slow
        550 5.7.1 Unfortunately, messages from [203.0.113.7] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. | soft spam_related slow
        550 5.7.606 Access denied, banned sending IP [203.0.113.7]. To request removal from this list please visit https://sender.office.com/ and follow the directions. | soft spam_related slow
        550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). [DB5EUR03FT011.eop-EUR03.prod.protection.outlook.com] | hard bad_mailbox
        550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup | hard bad_mailbox
        550 5.4.1 Recipient address rejected: Access denied. For more information see https://aka.ms/EXOSmtpErrors [SN1PEPF0002636E.namprd02.prod.outlook.com] | hard bad_mailbox
        550 5.7.509 Access denied, sending domain clienta.com does not pass DMARC verification and has a DMARC policy of reject. | hard auth_failure
        554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded | soft mailbox_full
        # Yahoo and AOL
        421 4.7.0 [TSS04] Messages from 203.0.113.7 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes | soft rate_limited slow
        553 5.7.2 [TSS09] All messages from 203.0.113.7 will be permanently deferred; Retrying will NOT succeed. See https://postmaster.yahooinc.com/error-codes | hard spam_related slow
        554 5.7.9 Message not accepted for policy reasons.  See https://postmaster.yahooinc.com/error-codes | hard policy
        554 delivery error: dd Sorry your message to someone@yahoo.com cannot be delivered. This mailbox is disabled (554.30). - mta4471.mail.bf1.yahoo.com | hard bad_mailbox
        554 delivery error: dd This user doesn't have a yahoo.com account (someone@yahoo.com) [0] - mta1234.mail.ne1.yahoo.com | hard bad_mailbox
        552 1 Requested mail action aborted, mailbox not found | hard bad_mailbox
        # iCloud
        554 5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137 | hard policy
        # Postfix, Exim, Sendmail and filters in front of them
        550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in virtual mailbox table | hard bad_mailbox
        550 5.1.1 <bob@example.org>... User unknown | hard bad_mailbox
        450 4.1.1 <bob@example.org>: Recipient address rejected: User unknown in local recipient table | soft bad_mailbox
        450 4.1.2 <bob@nosuch.example>: Recipient address rejected: Domain not found | soft bad_domain
        550 5.1.2 Host unknown (Name server: nosuch.example: host not found) | hard bad_domain
        550 Unrouteable address | hard bad_domain
        550 Requested action not taken: mailbox unavailable | hard bad_mailbox
        450 4.2.0 <bob@example.org>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html | soft policy
        451 4.7.1 Greylisting in action, please come back later | soft policy
        554 5.7.1 Service unavailable; Client host [203.0.113.7] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/203.0.113.7 | soft spam_related slow
        554 5.7.1 <bob@example.org>: Relay access denied | hard policy
        550 5.7.1 Message rejected as spam by Content Filtering. | hard spam_related
        550 5.7.1 Delivery not authorized, message refused | hard policy
        550 5.7.1 Email rejected per DMARC policy for clienta.com | hard auth_failure
        550 5.7.23 The message was rejected because of Sender Policy Framework violation | hard auth_failure
        552 5.3.4 Message size exceeds fixed limit | hard other
        452 4.5.3 Error: too many recipients | soft other
        421 4.4.2 mx.example.org Error: timeout exceeded | soft timeout
        451 4.4.1 No answer from host | soft connection
        554 5.4.7 Delivery expired (message too old) | hard timeout
        421 4.3.2 Service shutting down | soft rate_limited slow
        451 4.3.0 Temporary system failure. Please try again later. | soft rate_limited slow
        530 5.7.0 Must issue a STARTTLS command first | hard tls
        530 5.7.11 Encryption required for requested authentication mechanism | hard tls
        """)
    void classifiesWhatReceivingServersSay(String wire, String expected) {
        assertThat(describe(ReplyClassifier.classify(reply(wire)))).isEqualTo(expected);
    }

    @Test
    void aFailureWithoutAReplyIsAlwaysRetriedAndNeverSlowsTheSite() {
        assertThat(ReplyClassifier.classify(LocalFailure.CONNECTION_REFUSED)).isEqualTo(new SoftFailure(BounceCategory.CONNECTION, false));
        assertThat(ReplyClassifier.classify(LocalFailure.CONNECTION_RESET)).isEqualTo(new SoftFailure(BounceCategory.CONNECTION, false));
        assertThat(ReplyClassifier.classify(LocalFailure.TIMEOUT)).isEqualTo(new SoftFailure(BounceCategory.TIMEOUT, false));
        assertThat(ReplyClassifier.classify(LocalFailure.TLS_HANDSHAKE_FAILED)).isEqualTo(new SoftFailure(BounceCategory.TLS, false));
    }

    @Test
    void anIntermediateReplyIsNoOutcome() {
        assertThatThrownBy(() -> ReplyClassifier.classify(SmtpReply.bare(354, "End data with <CR><LF>.<CR><LF>")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3xx");
    }

    @Test
    void categoriesCarryTheirEventNames() {
        assertThat(BounceCategory.BAD_MAILBOX.code()).isEqualTo("bad_mailbox");
        assertThat(BounceCategory.SPAM_RELATED.code()).isEqualTo("spam_related");
    }
}
