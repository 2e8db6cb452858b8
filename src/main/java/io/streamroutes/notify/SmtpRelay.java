package io.streamroutes.notify;

/** Where mails go: host, port, login (null username = no AUTH) and the time allowed for connect and each reply. */
public record SmtpRelay(String host, int port, String username, String password, int timeoutMs) {

    public boolean authenticates() {
        return username != null;
    }

    @Override
    public String toString() {
        return host + ":" + port + (username == null ? "" : " as " + username);
    }
}
