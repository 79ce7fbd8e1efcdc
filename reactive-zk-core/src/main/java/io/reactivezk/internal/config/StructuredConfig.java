package io.reactivezk.internal.config;

import io.reactivezk.ZooKeeperConfigurationException;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLParser;

/**
 * A JSON or YAML configuration document as ASAB hands it to configparser's {@code read_dict}: a mapping of sections
 * to mappings of keys to values, each value turned into text by Python's {@code str()}. Only the values whose
 * {@code str()} is unambiguous are accepted: strings, integers and booleans ({@code True}, {@code False}); a float,
 * a date, a null, a list or a nested mapping is refused with an error naming it, because Python would turn it into
 * text that no ZooKeeper setting means (such as {@code "{'a': 1}"}) or, for null, fail.
 *
 * <p>YAML is read as PyYAML's {@code safe_load} reads it (YAML 1.1): an unquoted {@code yes}, {@code on} or
 * {@code true} is the boolean {@code True}, an unquoted {@code 0777} is the octal integer 511, {@code 1_000} is
 * 1000. Quoted and block scalars are strings as written.
 */
final class StructuredConfig {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Pattern YAML_TRUE = Pattern.compile("yes|Yes|YES|true|True|TRUE|on|On|ON");

    private static final Pattern YAML_FALSE = Pattern.compile("no|No|NO|false|False|FALSE|off|Off|OFF");

    private static final Pattern YAML_FLOAT = Pattern.compile("[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?"
            + "|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
            + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*"
            + "|[-+]?\\.(?:inf|Inf|INF)"
            + "|\\.(?:nan|NaN|NAN)");

    private static final Pattern YAML_INT = Pattern.compile("[-+]?0b[0-1_]+"
            + "|[-+]?0[0-7_]+"
            + "|[-+]?(?:0|[1-9][0-9_]*)"
            + "|[-+]?0x[0-9a-fA-F_]+"
            + "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+");

    private static final Pattern YAML_NULL = Pattern.compile("~|null|Null|NULL|");

    private static final Pattern YAML_TIMESTAMP = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}"
            + "|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \\t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]*)?"
            + "(?:[ \\t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?");

    private static final Pattern YAML_OTHER = Pattern.compile("<<|=");

    private StructuredConfig() {}

    /** Reads a JSON document of sections. */
    static Map<String, Map<String, String>> json(byte[] data, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(data);
        } catch (JacksonException e) {
            throw new ZooKeeperConfigurationException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ZooKeeperConfigurationException(
                    source + ": the JSON document must be an object of sections, each an object of keys");
        }
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> section : root.properties()) {
            if (!section.getValue().isObject()) {
                throw new ZooKeeperConfigurationException(
                        source + ": section '" + section.getKey() + "' must be an object of keys, not "
                                + section.getValue().getNodeType());
            }
            Map<String, String> entries = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : section.getValue().properties()) {
                entries.put(entry.getKey(), jsonValue(entry.getValue(), source, section.getKey(), entry.getKey()));
            }
            sections.put(section.getKey(), entries);
        }
        return sections;
    }

    private static String jsonValue(JsonNode value, String source, String section, String key) {
        if (value.isString()) {
            return value.asString();
        }
        if (value.isBoolean()) {
            return value.booleanValue() ? "True" : "False";
        }
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        throw unsupported(source, section, key, value.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
    }

    /** Reads a YAML document of sections; needs {@code jackson-dataformat-yaml} on the class path. */
    static Map<String, Map<String, String>> yaml(byte[] data, String source) {
        try {
            return Yaml.read(data, source);
        } catch (NoClassDefFoundError e) {
            throw new ZooKeeperConfigurationException(
                    source + ": reading YAML needs"
                            + " tools.jackson.dataformat:jackson-dataformat-yaml on the class path; add it to the application",
                    e);
        }
    }

    /** Kept apart so that the YAML classes are loaded only when a YAML document is read. */
    private static final class Yaml {

        private static final YAMLMapper MAPPER = YAMLMapper.builder().build();

        static Map<String, Map<String, String>> read(byte[] data, String source) {
            String text = new String(data, java.nio.charset.StandardCharsets.UTF_8);
            Map<String, Map<String, String>> sections = new LinkedHashMap<>();
            try (JsonParser parser = MAPPER.createParser(text)) {
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    throw shape(source);
                }
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    String section = scalar((YAMLParser) parser, text, source, null, null);
                    if (parser.nextToken() != JsonToken.START_OBJECT) {
                        throw new ZooKeeperConfigurationException(
                                source + ": section '" + section + "' must be a mapping of keys");
                    }
                    Map<String, String> entries = sections.computeIfAbsent(section, s -> new LinkedHashMap<>());
                    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                        String key = scalar((YAMLParser) parser, text, source, section, null);
                        JsonToken token = parser.nextToken();
                        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                            throw unsupported(
                                    source, section, key, token == JsonToken.START_OBJECT ? "mapping" : "list");
                        }
                        entries.put(key, scalar((YAMLParser) parser, text, source, section, key));
                    }
                }
                if (parser.nextToken() != null) {
                    throw new ZooKeeperConfigurationException(source + ": more than one YAML document");
                }
            } catch (JacksonException e) {
                throw new ZooKeeperConfigurationException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
            }
            return sections;
        }

        /** One scalar (a key when {@code key} is null, else the key's value) as Python's {@code str()} writes it. */
        private static String scalar(
                YAMLParser parser, String text, String source, @Nullable String section, @Nullable String key) {
            String what = key != null ? "value" : section != null ? "key" : "section name";
            if (parser.getRawTag() != null || parser.isCurrentAlias() || parser.getObjectId() != null) {
                throw new ZooKeeperConfigurationException(source + ": the " + what + " at line "
                        + parser.currentTokenLocation().getLineNr()
                        + " uses a YAML tag, anchor or alias, which is not supported here; write the value itself");
            }
            String value = parser.currentToken() == JsonToken.PROPERTY_NAME ? parser.currentName() : parser.getString();
            long offset = parser.currentTokenLocation().getCharOffset();
            char first = offset >= 0 && offset < text.length() ? text.charAt((int) offset) : ' ';
            boolean plain = first != '"' && first != '\'' && first != '|' && first != '>';
            if (value == null) {
                value = "";
            }
            if (!plain) {
                return value;
            }
            if (YAML_TRUE.matcher(value).matches()) {
                return "True";
            }
            if (YAML_FALSE.matcher(value).matches()) {
                return "False";
            }
            if (YAML_FLOAT.matcher(value).matches()) {
                throw unsupported(source, section, key == null ? value : key, "float '" + value + "'");
            }
            if (YAML_INT.matcher(value).matches()) {
                return yamlInteger(value);
            }
            if (YAML_NULL.matcher(value).matches()) {
                throw unsupported(source, section, key == null ? value : key, "null");
            }
            if (YAML_TIMESTAMP.matcher(value).matches()) {
                throw unsupported(source, section, key == null ? value : key, "date '" + value + "'");
            }
            if (YAML_OTHER.matcher(value).matches()) {
                throw unsupported(source, section, key == null ? value : key, "YAML '" + value + "'");
            }
            return value;
        }

        private static ZooKeeperConfigurationException shape(String source) {
            return new ZooKeeperConfigurationException(
                    source + ": the YAML document must be a mapping of sections, each a mapping of keys");
        }
    }

    /** PyYAML's {@code construct_yaml_int}, written as Python's {@code str(int)}. */
    static String yamlInteger(String text) {
        String digits = text.replace("_", "");
        boolean negative = digits.startsWith("-");
        if (digits.startsWith("-") || digits.startsWith("+")) {
            digits = digits.substring(1);
        }
        BigInteger value;
        if (digits.equals("0")) {
            value = BigInteger.ZERO;
        } else if (digits.startsWith("0b")) {
            value = new BigInteger(digits.substring(2), 2);
        } else if (digits.startsWith("0x")) {
            value = new BigInteger(digits.substring(2), 16);
        } else if (digits.startsWith("0")) {
            value = new BigInteger(digits, 8);
        } else if (digits.contains(":")) {
            value = BigInteger.ZERO;
            for (String part : digits.split(":")) {
                value = value.multiply(BigInteger.valueOf(60)).add(new BigInteger(part));
            }
        } else {
            value = new BigInteger(digits);
        }
        return (negative ? value.negate() : value).toString();
    }

    private static ZooKeeperConfigurationException unsupported(
            String source, @Nullable String section, String key, String kind) {
        return new ZooKeeperConfigurationException(source + ": " + (section == null ? "" : "[" + section + "] ") + key
                + " is a " + kind + "; ASAB would pass Python's str() of it to configparser, which reactive-zk"
                + " does not imitate: write it as a quoted string");
    }
}
