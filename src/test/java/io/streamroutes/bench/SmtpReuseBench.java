package io.streamroutes.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.streamroutes.embedded.EmbeddedRedis;
import io.streamroutes.notify.OutgoingMail;
import io.streamroutes.notify.SmtpSender;
import io.streamroutes.testsupport.PrivateCa;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * What kept-open SMTP connections are worth: the notification sender ({@link SmtpSender}) against GreenMail over
 * SMTPS with AUTH and a private-CA certificate, once with reused connections (notify.smtp.max-mails-per-connection
 * 100) and once with a new connection per mail (connect, TLS handshake, AUTH, mail, QUIT), same concurrency, in
 * alternating rounds of the same run: mails/s per variant (median of the rounds) and their ratio, goal at least
 * {@value SmtpReuseResult#GOAL}. Part of {@code ./bench/run.sh} ({@link Benchmark}); alone:
 * {@code ./bench/run.sh --only smtp-reuse [--smtp-mails N] [--repetitions N]}.
 */
final class SmtpReuseBench {

    static final String ID = "smtp-reuse";
    static final int CONCURRENCY = 8;
    static final int MAILS_PER_CONNECTION = 100;

    private SmtpReuseBench() {
    }

    static SmtpReuseResult run(int mails, int rounds, int concurrency, PrintStream out) throws Exception {
        PrivateCa ca = PrivateCa.forGreenMail();
        ServerSetup setup = new ServerSetup(EmbeddedRedis.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTPS);
        setup.setServerStartupTimeout(30000);
        GreenMail greenMail = new GreenMail(setup);
        greenMail.start();
        greenMail.setUser("bench@localhost", "bench", "s3cret");
        List<Double> reused = new ArrayList<>();
        List<Double> perMail = new ArrayList<>();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.setSSLContextParameters(trusting(ca));
            camel.start();
            out.printf("smtp: SMTPS with AUTH (GreenMail, private CA), %d mails per round, %d rounds, %d senders at once%n", mails,
                    rounds, concurrency);
            measure(camel, greenMail, MAILS_PER_CONNECTION, Math.min(mails, 200), concurrency); // warm-up of both variants
            measure(camel, greenMail, 1, Math.min(mails, 200), concurrency);
            for (int round = 0; round < rounds; round++) {
                // A B, B A, A B ...: a change of machine load falls on both
                boolean reusedFirst = round % 2 == 0;
                double first = measure(camel, greenMail, reusedFirst ? MAILS_PER_CONNECTION : 1, mails, concurrency);
                double second = measure(camel, greenMail, reusedFirst ? 1 : MAILS_PER_CONNECTION, mails, concurrency);
                reused.add(reusedFirst ? first : second);
                perMail.add(reusedFirst ? second : first);
            }
            return new SmtpReuseResult(mails, concurrency, reused, perMail, true, "");
        } catch (Exception | AssertionError e) {
            return new SmtpReuseResult(mails, concurrency, reused, perMail, false, e.toString());
        } finally {
            greenMail.stop();
        }
    }

    /** The two variants and their ratio, as the benchmark's summary shows them. */
    static void print(SmtpReuseResult r, PrintStream out) {
        out.printf(Locale.ROOT, "%nsmtp: %d mails per round, %d senders at once, SMTPS with AUTH%n", r.mailsPerRound(), r.concurrency());
        out.printf(Locale.ROOT, "%-62s %9s  %s%n", "variant", "mails/s", "rounds");
        out.printf(Locale.ROOT, "%-62s %9.0f  %s%n", "reused connections (" + MAILS_PER_CONNECTION + " mails each)", r.reusedMedian(),
                format(r.reused()));
        out.printf(Locale.ROOT, "%-62s %9.0f  %s%s%n", "one connection per mail", r.perMailMedian(), format(r.perMail()),
                r.complete() ? "" : "  INCOMPLETE: " + r.problem());
        if (r.complete()) {
            double ratio = r.ratio();
            out.printf(Locale.ROOT, "%-62s %9.2f  goal >= %.0f  %s%n", "reused / one per mail", ratio, SmtpReuseResult.GOAL,
                    ratio >= SmtpReuseResult.GOAL ? "met" : "NOT MET");
        }
    }

    /** mails/s of one variant: {@code concurrency} threads share {@code mails} sends through one sender. */
    static double measure(CamelContext camel, GreenMail greenMail, int mailsPerConnection, int mails, int concurrency) throws Exception {
        greenMail.purgeEmailFromAllMailboxes();
        SmtpSender sender = new SmtpSender();
        sender.setCamelContext(camel);
        sender.setHost("127.0.0.1");
        sender.setPort(greenMail.getSmtps().getPort());
        sender.setSecurity("tls");
        sender.setUsername("bench");
        sender.setPassword("s3cret");
        sender.setConnections(concurrency);
        sender.setMaxMailsPerConnection(mailsPerConnection);
        sender.setFrom("bench@example.org");
        ExecutorService threads = Executors.newFixedThreadPool(concurrency);
        try {
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                int thread = t;
                done.add(threads.submit(() -> {
                    for (int i = thread; i < mails; i += concurrency) {
                        sender.send(new OutgoingMail("bench@example.org", "inbox@example.com", "Welcome, user " + i,
                                "Hello,\n\nyour account " + i + " is ready.\n", "<p>Hello,</p><p>your account <strong>" + i
                                + "</strong> is ready.</p>", "en", "<" + i + ".bench@example.org>", null));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (greenMail.getReceivedMessages().length != mails) {
                throw new IllegalStateException("GreenMail received " + greenMail.getReceivedMessages().length + " of " + mails);
            }
            return mails / seconds;
        } finally {
            threads.shutdownNow();
            sender.close();
        }
    }

    private static SSLContextParameters trusting(PrivateCa ca) {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource("file:" + ca.trustStore());
        store.setPassword(PrivateCa.PASSWORD);
        store.setType("PKCS12");
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(store);
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setTrustManagers(trust);
        return parameters;
    }

    private static String format(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList().toString();
    }
}
