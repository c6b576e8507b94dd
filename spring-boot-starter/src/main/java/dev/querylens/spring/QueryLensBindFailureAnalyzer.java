package dev.querylens.spring;

import dev.querylens.core.QueryLensConfig;
import dev.querylens.core.Setting;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

import java.util.ArrayList;
import java.util.List;

/**
 * Spring Boot's startup report for a bad Querylens value, naming each key as written in configuration
 * ({@code querylens.explain.statement-timeout}, not the field path), the value as given, where it came from and
 * what the key accepts. Covers both text Spring cannot convert ({@code querylens.fingerprint.cache-size=lots}, for
 * which Spring's own report gives no range) and values out of range ({@link QueryLensProperties#validate}). Runs
 * before Spring Boot's analyzers; any other binding failure is left to them.
 */
class QueryLensBindFailureAnalyzer extends AbstractFailureAnalyzer<BindException> implements Ordered {

    /** A rejected key, its value as given and where it came from. */
    private record Rejected(Setting<?> setting, String value, Object origin) {
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
        List<Rejected> rejected = new ArrayList<>();
        if (cause.getCause() instanceof BindValidationException validation) {
            for (ObjectError error : validation.getValidationErrors().getAllErrors()) {
                QueryLensProperties.Binding<?> binding = error instanceof FieldError field ? binding(field.getField()) : null;
                if (binding == null) {
                    return null;
                }
                ConfigurationProperty property = validation.getValidationErrors().getBoundProperties().stream()
                        .filter(p -> p.getName().equals(ConfigurationPropertyName.of(binding.setting().key())))
                        .findFirst().orElse(null);
                String value = property != null ? String.valueOf(property.getValue())
                        : String.valueOf(((FieldError) error).getRejectedValue());
                rejected.add(new Rejected(binding.setting(), value, property != null ? property.getOrigin() : null));
            }
        } else {
            ConfigurationProperty property = cause.getProperty();
            Setting<?> setting = property == null ? null : setting(property.getName().toString());
            if (setting == null) {
                return null;
            }
            rejected.add(new Rejected(setting, String.valueOf(property.getValue()), property.getOrigin()));
        }
        if (rejected.isEmpty()) {
            return null;
        }
        StringBuilder description = new StringBuilder("Invalid Querylens configuration:\n");
        StringBuilder action = new StringBuilder("Update your application's configuration (every key and its range: "
                + "docs/configuration.md):\n");
        for (Rejected r : rejected) {
            description.append("\n    Property: ").append(r.setting().key())
                    .append("\n    Value: \"").append(r.value()).append('"');
            if (r.origin() != null) {
                description.append("\n    Origin: ").append(r.origin());
            }
            description.append("\n    Reason: ").append(r.setting().rejection(r.value().trim())).append('\n');
            action.append("\n    ").append(r.setting().key()).append(" takes ").append(r.setting().accepted());
        }
        return new FailureAnalysis(description.toString(), action.toString(), cause);
    }

    private static QueryLensProperties.Binding<?> binding(String fieldPath) {
        for (QueryLensProperties.Binding<?> b : QueryLensProperties.BINDINGS) {
            if (b.path().equals(fieldPath)) {
                return b;
            }
        }
        return null;
    }

    private static Setting<?> setting(String key) {
        for (Setting<?> s : QueryLensConfig.SETTINGS) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        return null;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
