package org.openmsk.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerExtensionsValidatorCallback;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker side of openmsk's IAM client authentication: validates the SASL/OAUTHBEARER token MSK's IAM signer
 * libraries make (base64url of a SigV4-presigned kafka-cluster:Connect URL) by asking openmsk's API, which holds the
 * access keys' secrets; the broker never sees a secret. The API is asked with this cluster's own credential (a key
 * derived from openmsk's master key, in the listener's JAAS options) and answers with the principal and the token's
 * validity; the answer is cached until the token expires, so a client reconnecting with the same token costs no call.
 * A refused token is never cached. When the API cannot be reached, new tokens are refused (fail closed).
 *
 * JAAS options (listener.name.client_sasl_iam.oauthbearer.sasl.jaas.config):
 *   openmskVerifyUrl   the API's token verification URL
 *   openmskClusterId   the cluster this broker belongs to
 *   openmskCredential  the cluster's verification credential
 */
public final class IamTokenValidator implements AuthenticateCallbackHandler {
    private static final Logger LOG = LoggerFactory.getLogger(IamTokenValidator.class);
    /** At most this many tokens are remembered; expired ones are dropped first, then all if still full. */
    static final int MAX_CACHED_TOKENS = 10_000;
    /** Longer than any real token (the API refuses more than 16,384 characters too). */
    static final int MAX_TOKEN_CHARS = 16_384;

    private static final ObjectMapper JSON = new ObjectMapper();

    private URI verifyUrl;
    private String clusterId;
    private String credential;
    private HttpClient http;
    private final Map<String, Verified> cache = new ConcurrentHashMap<>();

    /** What the API said of a token. */
    private static final class Verified implements OAuthBearerToken {
        private final String value;
        private final String principal;
        private final long startMs;
        private final long expiresMs;

        Verified(String value, String principal, long startMs, long expiresMs) {
            this.value = value;
            this.principal = principal;
            this.startMs = startMs;
            this.expiresMs = expiresMs;
        }

        @Override public String value() { return value; }
        @Override public Set<String> scope() { return Collections.emptySet(); }
        @Override public long lifetimeMs() { return expiresMs; }
        @Override public String principalName() { return principal; }
        @Override public Long startTimeMs() { return startMs; }
    }

    @Override
    public void configure(Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
        if (!"OAUTHBEARER".equals(saslMechanism)) {
            throw new IllegalArgumentException("IamTokenValidator serves SASL/OAUTHBEARER only, not " + saslMechanism);
        }
        if (jaasConfigEntries.size() != 1) throw new IllegalArgumentException("expected one JAAS login module entry");
        Map<String, ?> options = jaasConfigEntries.get(0).getOptions();
        verifyUrl = URI.create(option(options, "openmskVerifyUrl"));
        clusterId = option(options, "openmskClusterId");
        credential = option(options, "openmskCredential");
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        LOG.info("openmsk IAM token validation for cluster {} through {}", clusterId, verifyUrl);
    }

    private static String option(Map<String, ?> options, String name) {
        Object v = options.get(name);
        if (!(v instanceof String) || ((String) v).isEmpty()) throw new IllegalArgumentException("JAAS option " + name + " is missing");
        return (String) v;
    }

    @Override
    public void handle(Callback[] callbacks) throws IOException, UnsupportedCallbackException {
        for (Callback callback : callbacks) {
            if (callback instanceof OAuthBearerValidatorCallback) {
                validate((OAuthBearerValidatorCallback) callback);
            } else if (callback instanceof OAuthBearerExtensionsValidatorCallback) {
                // MSK's signers send no SASL extensions; any sent stay unvalidated, and Kafka ignores those.
            } else {
                throw new UnsupportedCallbackException(callback);
            }
        }
    }

    private void validate(OAuthBearerValidatorCallback callback) {
        String token = callback.tokenValue();
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            callback.error("invalid_token", null, null);
            return;
        }
        String key = digest(token);
        long now = System.currentTimeMillis();
        Verified hit = cache.get(key);
        if (hit != null && hit.value.equals(token) && hit.expiresMs > now) {
            callback.token(hit);
            return;
        }
        if (hit != null) cache.remove(key);
        Verified fresh;
        try {
            fresh = ask(token);
        } catch (IOException e) {
            LOG.warn("openmsk IAM token validation: the API at {} did not answer ({}); the token is refused", verifyUrl, e.toString());
            callback.error("invalid_token", null, null);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            callback.error("invalid_token", null, null);
            return;
        }
        if (fresh == null || fresh.expiresMs <= now) {
            callback.error("invalid_token", null, null);
            return;
        }
        remember(key, fresh, now);
        callback.token(fresh);
    }

    /** The API's answer: a principal and the token's validity, or null when it refused the token. */
    private Verified ask(String token) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("clusterId", clusterId, "token", token));
        HttpRequest request = HttpRequest.newBuilder(verifyUrl)
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + credential)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() == 200) {
            JsonNode answer = JSON.readTree(response.body());
            String principal = answer.path("principal").asText("");
            long start = answer.path("startMs").asLong(0);
            long expires = answer.path("expiresMs").asLong(0);
            if (principal.isEmpty() || expires <= 0) throw new IOException("unexpected answer from the API");
            return new Verified(token, principal, start, expires);
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            LOG.info("openmsk IAM token refused: {}", response.body());
            return null;
        }
        throw new IOException("HTTP " + response.statusCode());
    }

    private void remember(String key, Verified v, long now) {
        if (cache.size() >= MAX_CACHED_TOKENS) {
            cache.values().removeIf(x -> x.expiresMs <= now);
            if (cache.size() >= MAX_CACHED_TOKENS) cache.clear();
        }
        cache.put(key, v);
    }

    private static String digest(String token) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        cache.clear();
    }
}
