package dev.bluegreen.gateway.archfixture;

import dev.bluegreen.agent.DeployAgentApplication;

/** Breaks the rule on purpose: a service that uses another service's classes. */
public class CallsTheDeployAgent {

    DeployAgentApplication agent;
}
