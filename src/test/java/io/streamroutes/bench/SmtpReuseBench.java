package io.streamroutes.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
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
 * alternating rounds of the same run. Prints mails/s per variant (median of the rounds) and the ratio with its goal.
 * Run: ./bench/smtp-reuse.sh [mails per round, default 1000] [rounds, default 3] [concurrency, default 8].
 */
public final class SmtpReuseBench {

    static final double GOAL = 3.0;

    private SmtpReuseBench() {
    }

    public static void main(String[] args) throws Exception {
        int mails = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        double ratio = run(mails, rounds, concurrency, System.out);
        System.exit(ratio > 0 ? 0 : 1);
    }

    /** Returns reused / per-mail mails/s. */
    static double run(int mails, int rounds, int concurrency, PrintStream out) throws Exception {
        PrivateCa ca = PrivateCa.create();
        ca.useForGreenMail();
        ServerSetup setup = new ServerSetup(EmbeddedRedis.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTPS);
        setup.setServerStartupTimeout(30000);
        GreenMail greenMail = new GreenMail(setup);
        greenMail.start();
        greenMail.setUser("bench@localhost", "bench", "s3cret");
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.setSSLContextParameters(trusting(ca));
            camel.start();
            out.printf("SMTPS with AUTH (GreenMail, private CA), %d mails per round, %d rounds, concurrency %d%n", mails, rounds, concurrency);
            measure(camel, greenMail, 100, Math.min(mails, 200), concurrency); // warm-up of both variants
            measure(camel, greenMail, 1, Math.min(mails, 200), concurrency);
            List<Double> reused = new ArrayList<>();
            List<Double> perMail = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                // A B, B A, A B ...: a change of machine load falls on both
                boolean reusedFirst = round % 2 == 0;
                double first = measure(camel, greenMail, reusedFirst ? 100 : 1, mails, concurrency);
                double second = measure(camel, greenMail, reusedFirst ? 1 : 100, mails, concurrency);
                reused.add(reusedFirst ? first : second);
                perMail.add(reusedFirst ? second : first);
            }
            double a = median(reused);
            double b = median(perMail);
            double ratio = a / b;
            out.printf("%-40s %10s  %s%n", "variant", "mails/s", "rounds");
            out.printf("%-40s %10.0f  %s%n", "reused connections (100 mails each)", a, format(reused));
            out.printf("%-40s %10.0f  %s%n", "one connection per mail", b, format(perMail));
            out.printf("%-40s %10.2f  goal >= %.0f  %s%n", "reused / one per mail", ratio, GOAL, ratio >= GOAL ? "met" : "NOT met");
            return ratio;
        } finally {
            greenMail.stop();
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
                        sender.send(new OutgoingMail("bench@example.org", "user" + i + "@example.com", "Welcome, user " + i,
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

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String format(List<Double> values) {
        return values.stream().map(v -> String.format("%.0f", v)).toList().toString();
    }
}
