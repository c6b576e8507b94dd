package dev.querylens.agent.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Reads the Prometheus text format well enough for assertions: name, labels, value. */
final class Prometheus {

    record Sample(String name, Map<String, String> labels, double value) {
        String label(String key) {
            return labels.get(key);
        }
    }

    private final List<Sample> samples;

    private Prometheus(List<Sample> samples) {
        this.samples = samples;
    }

    static Prometheus parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int i = 0;
            while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
                i++;
            }
            String name = line.substring(0, i);
            Map<String, String> labels = new LinkedHashMap<>();
            if (i < line.length() && line.charAt(i) == '{') {
                i++;
                while (line.charAt(i) != '}') {
                    int eq = line.indexOf('=', i);
                    String key = line.substring(i, eq).trim();
                    int j = eq + 2; // after ="
                    StringBuilder value = new StringBuilder();
                    while (line.charAt(j) != '"') {
                        char c = line.charAt(j);
                        if (c == '\\') {
                            char next = line.charAt(++j);
                            value.append(next == 'n' ? '\n' : next);
                        } else {
                            value.append(c);
                        }
                        j++;
                    }
                    labels.put(key, value.toString());
                    i = j + 1;
                    if (line.charAt(i) == ',') {
                        i++;
                    }
                }
                i++;
            }
            String[] rest = line.substring(i).trim().split(" ");
            out.add(new Sample(name, labels, Double.parseDouble(rest[0])));
        }
        return new Prometheus(out);
    }

    List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** Sum of the samples of {@code name} whose labels match. */
    double sum(String name, Predicate<Sample> filter) {
        return samples.stream().filter(s -> s.name().equals(name)).filter(filter).mapToDouble(Sample::value).sum();
    }

    double sumFor(String name, String endpoint) {
        return sum(name, s -> endpoint.equals(s.label("endpoint")));
    }

    boolean has(String name, String endpoint) {
        return samples.stream().anyMatch(s -> s.name().equals(name) && endpoint.equals(s.label("endpoint")));
    }
}
