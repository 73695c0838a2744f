package io.jbits.spi;

import java.util.Objects;

/**
 * One job option: its dotted name in {@link JobOptions}, the type of its value and what its absence means. Each
 * settings record ({@link RateSettings}, {@link ProxySettings}, {@link HttpSettings}, {@link TlsSettings},
 * {@link CredentialSettings}, {@link NotifyCommand}) declares its keys once as constants of this type, so an option
 * name is written in exactly one place and every reader and writer goes through that constant.
 *
 * @param name the option's name, {@code feature.setting} ({@code "rate.max"})
 * @param type the class of its value: {@link String}, {@link Long} or {@link Boolean}
 * @param absent what {@link JobOptions#get} answers when the option is not set, or is set to another type
 * @param <T> the type of its value
 */
public record OptionKey<T>(String name, Class<T> type, T absent) {
    public OptionKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (type != String.class && type != Long.class && type != Boolean.class) {
            throw new IllegalArgumentException("option " + name + ": a value is a string, integer or boolean");
        }
    }

    /** A string option; null when absent. */
    public static OptionKey<String> text(String name) {
        return new OptionKey<>(name, String.class, null);
    }

    /** An integer option; {@code absent} when it is not set. */
    public static OptionKey<Long> number(String name, long absent) {
        return new OptionKey<>(name, Long.class, absent);
    }

    /** A boolean option; {@code absent} when it is not set. */
    public static OptionKey<Boolean> flag(String name, boolean absent) {
        return new OptionKey<>(name, Boolean.class, absent);
    }

    @Override
    public String toString() {
        return name;
    }
}
