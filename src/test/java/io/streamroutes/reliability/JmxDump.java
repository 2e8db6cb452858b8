package io.streamroutes.reliability;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;

/** Every readable attribute of every MBean as text, to search it for things that must not be exposed. */
final class JmxDump {

    private JmxDump() {
    }

    static String everything(MBeanServerConnection server, String... except) throws Exception {
        StringBuilder text = new StringBuilder();
        for (ObjectName name : server.queryNames(null, null)) {
            if (java.util.List.of(except).contains(name.getCanonicalName())) {
                continue;
            }
            text.append(name).append('\n');
            for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                if (!attribute.isReadable()) {
                    continue;
                }
                try {
                    text.append("  ").append(attribute.getName()).append('=')
                            .append(server.getAttribute(name, attribute.getName())).append('\n');
                } catch (Exception | Error e) {
                    // some platform attributes are unsupported or fail; they hold no configuration
                }
            }
        }
        return text.toString();
    }
}
