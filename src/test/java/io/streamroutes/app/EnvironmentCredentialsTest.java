package io.streamroutes.app;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class EnvironmentCredentialsTest {

    final EnvironmentCredentials credentials = new EnvironmentCredentials(Map.of(
            "SMTP_USERNAME", "mailer", "SMTP_PASSWORD", " s3cret\n", "PROVIDER_STRIPE_API_KEY", "sk_env",
            "PROVIDER_ACME_PAY_API_KEY", "ak", "PROVIDER_EMPTY_API_KEY", "  ", "HOME", "/root")::get);

    @Test
    void smtpLoginFromSmtpVariables() {
        assertEquals("mailer", credentials.getProperty("notify.smtp.username"));
        assertEquals("s3cret", credentials.getProperty("notify.smtp.password"));
    }

    @Test
    void providerKeyFromProviderVariableUpperCasedWithUnderscores() {
        assertEquals("sk_env", credentials.getProperty("integration.provider.stripe.api-key"));
        assertEquals("ak", credentials.getProperty("integration.provider.acme-pay.api-key"));
        assertEquals("PROVIDER_PAY_2_API_KEY", EnvironmentCredentials.variableFor("integration.provider.pay_2.api-key"));
    }

    @Test
    void unsetOrBlankVariablesAndOtherKeysStayUndefined() {
        assertNull(credentials.getProperty("integration.provider.other.api-key"));
        assertNull(credentials.getProperty("integration.provider.empty.api-key"));
        assertNull(credentials.getProperty("integration.provider.stripe.url"));
        assertNull(credentials.getProperty("home"));
        assertNull(EnvironmentCredentials.variableFor("integration.provider.a.b.api-key"));
    }
}
