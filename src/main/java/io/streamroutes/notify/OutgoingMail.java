package io.streamroutes.notify;

import java.util.Date;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

/**
 * One notification mail: {@code multipart/alternative} with the text part first and the HTML part second (mail
 * programs show the last part they can display), {@code Content-Language}, an optional {@code List-Unsubscribe} link
 * (with RFC 8058 one-click) and a fixed {@code Message-ID}, so a mail sent twice for the same entry carries the same id.
 */
public record OutgoingMail(String from, String to, String subject, String text, String html, String locale, String messageId,
                           String unsubscribeUrl) {

    public MimeMessage toMimeMessage(Session session) throws MessagingException {
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        message.setFrom(new InternetAddress(from, true));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
        message.setSubject(subject, "UTF-8");
        message.setSentDate(new Date());
        message.setHeader("Content-Language", locale);
        if (unsubscribeUrl != null) {
            message.setHeader("List-Unsubscribe", "<" + unsubscribeUrl + ">");
            message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        MimeBodyPart textPart = new MimeBodyPart();
        textPart.setText(text, "UTF-8", "plain");
        MimeBodyPart htmlPart = new MimeBodyPart();
        htmlPart.setText(html, "UTF-8", "html");
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(textPart);
        alternative.addBodyPart(htmlPart);
        message.setContent(alternative);
        message.saveChanges();
        return message;
    }
}
