package io.spotlight.testing;

import io.spotlight.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.util.List;

/** A broker key whose certificate names 127.0.0.1, and a trust store holding that certificate, made with the JDK's keytool. */
public final class SelfSignedTls {

    private SelfSignedTls() {}

    public static EmbeddedKafka.Tls make(Path dir, String password) throws Exception {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Path keystore = dir.resolve("broker.p12");
        Path certificate = dir.resolve("broker.crt");
        Path truststore = dir.resolve("truststore.p12");
        for (List<String> command : List.of(
                List.of(keytool, "-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                        "-storepass", password, "-keypass", password),
                List.of(keytool, "-exportcert", "-alias", "broker", "-keystore", keystore.toString(), "-storepass", password, "-rfc",
                        "-file", certificate.toString()),
                List.of(keytool, "-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(), "-storetype", "PKCS12",
                        "-keystore", truststore.toString(), "-storepass", password))) {
            Tools.Run r = Tools.run(command, dir, 60);
            if (r.exit() != 0) {
                throw new IllegalStateException(command.get(1) + " failed: " + r.output());
            }
        }
        return new EmbeddedKafka.Tls(keystore, truststore, password);
    }
}
