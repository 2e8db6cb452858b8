package io.streamroutes.notify;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

/** Reads the parts of a received notification mail (multipart/alternative: text, then HTML). */
final class MailParts {

    private MailParts() {
    }

    static Multipart alternative(MimeMessage mail) throws Exception {
        if (!mail.isMimeType("multipart/alternative")) {
            throw new AssertionError("not multipart/alternative: " + mail.getContentType());
        }
        return (Multipart) mail.getContent();
    }

    static BodyPart part(MimeMessage mail, int index) throws Exception {
        return alternative(mail).getBodyPart(index);
    }

    static String text(MimeMessage mail) throws Exception {
        BodyPart part = part(mail, 0);
        if (!part.isMimeType("text/plain")) {
            throw new AssertionError("first part is not text/plain: " + part.getContentType());
        }
        return (String) part.getContent();
    }

    static String html(MimeMessage mail) throws Exception {
        BodyPart part = part(mail, 1);
        if (!part.isMimeType("text/html")) {
            throw new AssertionError("second part is not text/html: " + part.getContentType());
        }
        return (String) part.getContent();
    }
}
