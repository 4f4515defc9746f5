package dev.bluegreen.pipeline;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.config.ContainerPostProcessor;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.RecordInterceptor;
import org.springframework.kafka.support.ProducerListener;
import org.springframework.util.backoff.FixedBackOff;

import io.micrometer.context.ContextRegistry;
import io.micrometer.core.instrument.MeterRegistry;

import dev.bluegreen.apps.AppCatalog;

/**
 * What every service gets by having this jar: the pipeline topics and their dead-letter topics created on start,
 * one error handler for all listeners that retries a bounded number of times and then dead-letters, the deployment
 * id as a header on every record sent and in the logging context of every record handled (on Reactor threads too,
 * see {@link DeploymentLogContext}), and the pipeline's metrics counted from the events sent.
 */
@AutoConfiguration(before = KafkaAutoConfiguration.class)
@EnableConfigurationProperties(PipelineKafkaProperties.class)
public class PipelineKafkaAutoConfiguration {

    /** Stops the start on an apps file no deployment could use safely; see {@link AppsFileVerified}. */
    @Bean
    AppsFileVerified appsFileVerified(ObjectProvider<AppCatalog> catalog, Environment environment) {
        return AppsFileVerified.check(catalog.getIfAvailable(), environment);
    }

    @Bean
    KafkaAdmin.NewTopics pipelineTopics(PipelineKafkaProperties properties) {
        return new KafkaAdmin.NewTopics(
                PipelineTopics.declarations(properties.topics()).toArray(NewTopic[]::new));
    }

    @Bean
    DeadLetterPublisher deadLetterPublisher(KafkaProperties kafka, MeterRegistry meters) {
        return new DeadLetterPublisher(kafka.buildProducerProperties(), meters);
    }

    @Bean
    @ConditionalOnMissingBean(CommonErrorHandler.class)
    DefaultErrorHandler kafkaErrorHandler(DeadLetterPublisher deadLetters, PipelineKafkaProperties properties) {
        PipelineKafkaProperties.DeadLetters settings = properties.deadLetters();
        return new DefaultErrorHandler(deadLetters.recoverer(),
                new FixedBackOff(settings.backoff().toMillis(), settings.attempts() - 1L));
    }

    /** For listeners that replay their topics on every start: see {@link SkippedRecords}. */
    @Bean(SkippedRecords.ON_REPLAY)
    ContainerPostProcessor<Object, Object, AbstractMessageListenerContainer<Object, Object>> skipUnhandledOnReplay(
            MeterRegistry meters) {
        return container -> container.setCommonErrorHandler(SkippedRecords.errorHandler(meters));
    }

    @Bean
    RecordInterceptor<Object, Object> deploymentIdInLogs() {
        return new DeploymentIdInLogs();
    }

    /**
     * Lets Reactor carry a deployment id from a Mono's Context into the MDC on every thread the Mono runs on. The
     * registry is one per JVM; registering again, as a second service in the same JVM does, replaces the first.
     */
    @Bean
    DeploymentIdAccessor deploymentIdAccessor() {
        DeploymentIdAccessor accessor = new DeploymentIdAccessor();
        ContextRegistry.getInstance().registerThreadLocalAccessor(accessor);
        return accessor;
    }

    /** Replaces Spring Kafka's logging producer listener, which it still calls for failed sends. */
    @Bean
    @ConditionalOnMissingBean(ProducerListener.class)
    ProducerListener<Object, Object> kafkaProducerListener(MeterRegistry meters) {
        return new PipelineMetrics(meters);
    }

    @Bean
    static BeanPostProcessor deploymentIdHeaderOnKafkaTemplates() {
        return new BeanPostProcessor() {
            @Override
            @SuppressWarnings("unchecked")
            public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
                if (bean instanceof KafkaTemplate<?, ?> template) {
                    ((KafkaTemplate<Object, Object>) template).setProducerInterceptor(new DeploymentIdHeader());
                }
                return bean;
            }
        };
    }
}
