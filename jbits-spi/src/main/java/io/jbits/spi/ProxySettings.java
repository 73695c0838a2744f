package io.jbits.spi;

import io.jbits.api.JbitsException;
import io.jbits.api.ProxyUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How a job's requests find their proxy (BITS's proxy usage, proxy list and bypass list), as the options
 * {@code proxy.*} hold them. {@link #checked} is the way in from the API, refusing what BITS refuses; {@link #from}
 * reads what is stored, as the HTTP transport does before every request.
 *
 * @param usage how the proxy is chosen
 * @param proxies with {@link ProxyUsage#OVERRIDE}, the proxies in order: {@code [http=|https=][http://]host[:port]}
 * @param bypass with {@link ProxyUsage#OVERRIDE}, the hosts reached directly: names, {@code *.domain}, {@code <local>}
 */
public record ProxySettings(ProxyUsage usage, List<String> proxies, List<String> bypass) {
    /** {@code proxy.usage}: {@code preconfig}, {@code none} or {@code override}; absent means preconfig. */
    public static final OptionKey<String> USAGE = OptionKey.text("proxy.usage");
    /** {@code proxy.list}: the proxies of {@code override}, comma-separated; absent means none. */
    public static final OptionKey<String> LIST = OptionKey.text("proxy.list");
    /** {@code proxy.bypass}: the hosts reached directly, comma-separated; absent means none. */
    public static final OptionKey<String> BYPASS = OptionKey.text("proxy.bypass");

    /** The service's proxy settings, what a job without proxy options gets. */
    public static final ProxySettings PRECONFIG = new ProxySettings(ProxyUsage.PRECONFIG, List.of(), List.of());

    /** BITS's documented limit for each of the proxy and bypass lists. */
    private static final int MAX_LIST_CHARS = 4000;
    private static final Pattern PROXY = Pattern.compile("((http|https)=)?(http://)?[^\\s/:,=]+(:\\d{1,5})?/?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern HOST = Pattern.compile("<local>|\\*|(\\*\\.)?[^\\s/,*]+");
    /** What separates entries when the lists are read back: commas as written, and what people type by hand. */
    private static final Pattern SEPARATORS = Pattern.compile("[,;\\s]+");

    public ProxySettings {
        java.util.Objects.requireNonNull(usage, "usage");
        proxies = List.copyOf(proxies);
        bypass = List.copyOf(bypass);
    }

    /**
     * Settings as the owner gives them, checked as BITS checks them.
     *
     * @throws JbitsException E_INVALIDARG for a missing usage, lists with a usage other than override, override
     *     without a proxy, an entry that is no proxy or host, or lists over 4,000 characters
     */
    public static ProxySettings checked(ProxyUsage usage, List<String> proxies, List<String> bypass) {
        if (usage == null) {
            throw JbitsException.invalidArgument("a proxy usage is needed: preconfig, none or override");
        }
        List<String> list = proxies == null ? List.of() : proxies.stream().map(String::trim).toList();
        List<String> skip = bypass == null ? List.of() : bypass.stream().map(String::trim).toList();
        if (usage != ProxyUsage.OVERRIDE && (!list.isEmpty() || !skip.isEmpty())) {
            throw JbitsException.invalidArgument("a proxy list and bypass list go only with proxy usage override");
        }
        if (usage == ProxyUsage.OVERRIDE && list.isEmpty()) {
            throw JbitsException.invalidArgument("proxy usage override needs at least one proxy");
        }
        for (String p : list) {
            if (!PROXY.matcher(p).matches()) {
                throw JbitsException.invalidArgument("'" + p + "' is not a proxy: expected host[:port] or"
                        + " http://host[:port], optionally prefixed http= or https=");
            }
        }
        for (String h : skip) {
            if (!HOST.matcher(h).matches()) {
                throw JbitsException.invalidArgument("'" + h + "' is not a bypass entry: expected a host name, an"
                        + " address, *.domain or <local>");
            }
        }
        if (String.join(",", list).length() > MAX_LIST_CHARS || String.join(",", skip).length() > MAX_LIST_CHARS) {
            throw JbitsException.invalidArgument("proxy and bypass lists are limited to " + MAX_LIST_CHARS
                    + " characters each");
        }
        return new ProxySettings(usage, list, skip);
    }

    /**
     * The proxy settings of a job's options.
     *
     * @throws IllegalArgumentException when {@code proxy.usage} is not preconfig, none or override
     */
    public static ProxySettings from(JobOptions options) {
        String text = options.get(USAGE);
        ProxyUsage usage = ProxyUsage.PRECONFIG;
        if (text != null) {
            String mode = text.trim().toLowerCase(Locale.ROOT);
            usage = null;
            for (ProxyUsage u : ProxyUsage.values()) {
                if (u.label().equals(mode)) {
                    usage = u;
                }
            }
            if (usage == null) {
                throw new IllegalArgumentException("unknown proxy usage '" + text
                        + "': expected preconfig, none or override");
            }
        }
        return new ProxySettings(usage, split(options.get(LIST)), split(options.get(BYPASS)));
    }

    private static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        if (text != null) {
            for (String s : SEPARATORS.split(text)) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }

    /** These options with these settings in them; empty lists are removed. */
    public JobOptions writeTo(JobOptions options) {
        return options.with(USAGE, usage.label())
                .with(LIST, proxies.isEmpty() ? null : String.join(",", proxies))
                .with(BYPASS, bypass.isEmpty() ? null : String.join(",", bypass));
    }

    /** True when {@code optionName} is one of these settings' options. */
    public static boolean owns(String optionName) {
        return optionName.equals(USAGE.name()) || optionName.equals(LIST.name()) || optionName.equals(BYPASS.name());
    }
}
