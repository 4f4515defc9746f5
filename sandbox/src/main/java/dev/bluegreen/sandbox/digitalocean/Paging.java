package dev.bluegreen.sandbox.digitalocean;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.node.ObjectNode;

/**
 * DigitalOcean's {@code page} / {@code per_page} paging: {@code links.pages} names only the pages that exist
 * around this one, and {@code links} is {@code {}} when everything fits on one page.
 */
record Paging(int page, int perPage) {

    static final int DEFAULT_PER_PAGE = 20;
    static final int MAX_PER_PAGE = 200;

    static Paging of(Map<String, String> query) {
        int page = positive(query, "page", 1);
        int perPage = Math.min(positive(query, "per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE);
        return new Paging(page, perPage);
    }

    <T> List<T> slice(List<T> all) {
        long from = (long) (page - 1) * perPage;
        if (from >= all.size()) {
            return List.of();
        }
        return all.subList((int) from, (int) Math.min(all.size(), from + perPage));
    }

    /** Adds {@code links} and {@code meta} for a list of {@code total} items served at {@code url}. */
    void describe(ObjectNode body, int total, String url, Map<String, String> filters) {
        int last = Math.max(1, (total + perPage - 1) / perPage);
        ObjectNode links = body.putObject("links");
        if (last > 1) {
            ObjectNode pages = links.putObject("pages");
            if (page > 1) {
                pages.put("first", link(url, filters, 1));
                pages.put("prev", link(url, filters, Math.min(page - 1, last)));
            }
            if (page < last) {
                pages.put("next", link(url, filters, page + 1));
                pages.put("last", link(url, filters, last));
            }
        }
        body.putObject("meta").put("total", total);
    }

    private String link(String url, Map<String, String> filters, int target) {
        StringBuilder link = new StringBuilder(url).append("?page=").append(target).append("&per_page=").append(perPage);
        filters.forEach((name, value) -> link.append('&').append(name).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return link.toString();
    }

    private static int positive(Map<String, String> query, String name, int fallback) {
        String value = query.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value);
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest(name + " must be a whole number of at least 1, was " + value);
    }
}
