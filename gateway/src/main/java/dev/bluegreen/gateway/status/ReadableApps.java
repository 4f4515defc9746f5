package dev.bluegreen.gateway.status;

import java.util.List;

/** The answer to {@code GET /api/apps}: the names of the apps the reader may read, sorted. */
record ReadableApps(List<String> apps) {
}
