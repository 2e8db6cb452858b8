package io.streamroutes.bench;

import java.util.List;

/**
 * What kept-open SMTP connections achieved against one connection per mail, same concurrency, same run
 * ({@link SmtpReuseBench}).
 *
 * @param mailsPerRound      mails sent per variant and round
 * @param concurrency        senders at once in both variants
 * @param reused             mails/s of every round over kept-open connections
 * @param perMail            mails/s of every round with a new connection per mail
 * @param complete           GreenMail received every mail of every round
 */
record SmtpReuseResult(int mailsPerRound, int concurrency, List<Double> reused, List<Double> perMail, boolean complete, String problem) {

    static final String RATIO = "SMTP reused connections / one per mail (mails/s, TLS + AUTH)";
    static final double GOAL = 3.0;

    double reusedMedian() {
        return ContestantResult.median(reused);
    }

    double perMailMedian() {
        return ContestantResult.median(perMail);
    }

    double ratio() {
        return reusedMedian() / perMailMedian();
    }
}
