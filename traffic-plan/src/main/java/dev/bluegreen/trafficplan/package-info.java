/**
 * What a switch of an app's traffic sees and does, described without doing it: which colours a balancer (or a
 * reserved IP) serves, the DigitalOcean calls that move traffic, how a switch tells that the new colour serves, and
 * the whole plan as a dry run ({@link dev.bluegreen.trafficplan.SwitchPreview}). The traffic-router switches by
 * these; the preflight prints them.
 */
@NullMarked
package dev.bluegreen.trafficplan;

import org.jspecify.annotations.NullMarked;
