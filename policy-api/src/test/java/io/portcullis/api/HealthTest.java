package io.portcullis.api;

import io.portcullis.testsupport.HealthProbesContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class HealthTest implements HealthProbesContract {}
