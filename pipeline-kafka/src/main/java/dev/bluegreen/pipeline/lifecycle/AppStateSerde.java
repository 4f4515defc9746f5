package dev.bluegreen.pipeline.lifecycle;

import java.util.Map;

import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import dev.bluegreen.lifecycle.AppState;
import dev.bluegreen.lifecycle.AppStateCodec;

/** An app's state as JSON, for the state store, its changelog and the app-states topic. */
final class AppStateSerde implements Serde<AppState>, Serializer<AppState>, Deserializer<AppState> {

    private final AppStateCodec codec = new AppStateCodec();

    @Override
    public byte[] serialize(String topic, AppState state) {
        return state == null ? null : codec.write(state);
    }

    @Override
    public AppState deserialize(String topic, byte[] data) {
        return data == null ? null : codec.read(data);
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
    }

    @Override
    public Serializer<AppState> serializer() {
        return this;
    }

    @Override
    public Deserializer<AppState> deserializer() {
        return this;
    }

    /**
     * A store of one state per app, in memory and restored from its changelog: the changelog is compacted, so it
     * keeps each app's latest state however long ago its events were deleted from the lifecycle topic.
     */
    static StoreBuilder<KeyValueStore<String, AppState>> storeBuilder(String name) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), new AppStateSerde())
                .withLoggingEnabled(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }
}
