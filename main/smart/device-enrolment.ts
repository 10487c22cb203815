import type { Connection } from '../../common/connections';
import { ChartDeskError } from '../../common/ipc-envelope';
import {
  DeviceRegistrationError,
  offersDeviceRegistration,
  type RegistrationContext,
  registerDevice,
  rotateDeviceKey,
} from './device-registration';
import type { SmartConfiguration } from './discovery';
import { grantConfiguration, renewable } from './grant';
import type { SessionPartDeps } from './live-sessions';
import type { SessionKeychain } from './session-keychain';
import { classifyTokenError, describeTokenError } from './token-errors';
import type { TokenKeeper } from './token-keeper';

export interface DeviceEnrolmentDeps extends SessionPartDeps {
  keychain: SessionKeychain;
  keeper: TokenKeeper;
}

/** This device's registration at the EHR (Epic's offline access for native apps): enrol, forget, rotate the key. */
export interface DeviceEnrolment {
  /**
   * After a standalone sign-in: registers this device when the connection asks for it, the EHR offers it and gave no
   * refresh token (Epic gives none to native apps). A failure leaves the session as it is, with a notice.
   */
  enrol(connection: Connection, config: SmartConfiguration): Promise<void>;
  /** Deletes the registration at the EHR (where offered) and the key; the current access token lives on. */
  forget(connectionId: string): Promise<void>;
  /** Replaces the device key (RFC 7592 update); refused when no device is registered or the EHR offers no update. */
  rotate(connection: Connection): Promise<void>;
}

export function createDeviceEnrolment(deps: DeviceEnrolmentDeps): DeviceEnrolment {
  const { sessions, keychain, keeper } = deps;
  const registrationContext = (softwareId: string, config: SmartConfiguration): RegistrationContext => ({
    config,
    softwareId,
    fetch: deps.fetch,
  });
  const reasonOf = (error: unknown) => (error instanceof DeviceRegistrationError ? error.message : describeTokenError(error));

  return {
    async enrol(connection, config) {
      const live = sessions.of(connection.id);
      const grant = live.grant;
      if (!connection.registerDevice || !grant?.accessToken || grant.device || grant.refreshToken !== null) return;
      if (!offersDeviceRegistration(config)) {
        deps.log.info('device.registration-not-offered', { connectionId: connection.id });
        return;
      }
      const generation = live.generation;
      try {
        const device = await registerDevice(registrationContext(connection.clientId, config), grant.accessToken);
        if (live.generation !== generation || live.grant !== grant) {
          // Signed out meanwhile: the new registration must not outlive the session.
          await keeper.unregister(connection.id, device);
          return;
        }
        grant.device = device;
        await keychain.save(connection.id, live);
        deps.log.info('device.registered', {
          connectionId: connection.id,
          alg: device.key.alg,
          manageable: device.registrationClientUri !== null,
        });
        sessions.emit();
      } catch (error) {
        const reason = reasonOf(error);
        deps.log.warn('device.registration-failed', { connectionId: connection.id, reason });
        deps.onNotice({
          level: 'warning',
          message: `This device could not be registered with ${connection.name} (${reason}). You will need to sign in again when this session ends.`,
          connectionId: connection.id,
        });
      }
    },

    async forget(connectionId) {
      const live = sessions.of(connectionId);
      await live.refreshing?.catch(() => null);
      const grant = live.grant;
      if (!grant?.device) return;
      const device = grant.device;
      grant.device = null;
      // Without the device (and no refresh token) nothing can restore the session: its keychain entry goes.
      if (renewable(grant)) await keychain.save(connectionId, live);
      else await keychain.forget(grant.account);
      keeper.watch(connectionId);
      await keeper.unregister(connectionId, device);
    },

    /**
     * Rotation takes the renewal slot, so that no renewal signs with a key the EHR has just dropped; it ends with a
     * JWT bearer grant signed by the new key, which proves the EHR took it.
     */
    async rotate(connection) {
      const live = sessions.of(connection.id);
      await live.refreshing?.catch(() => null);
      const grant = live.grant;
      if (!grant?.device) throw new ChartDeskError('not-found', 'No device is registered for this connection.');
      const device = grant.device;
      await keeper.renewAfter(connection.id, async () => {
        try {
          grant.device = await rotateDeviceKey(registrationContext(grant.clientId, grantConfiguration(grant)), device);
        } catch (error) {
          const reason = reasonOf(error);
          deps.log.warn('device.rotation-failed', { connectionId: connection.id, reason });
          throw new ChartDeskError(
            classifyTokenError(error) === 'network' ? 'network' : 'auth',
            `The device key was not replaced: ${reason}`,
          );
        }
        await keychain.save(connection.id, live);
        deps.log.info('device.key-rotated', { connectionId: connection.id, alg: grant.device.key.alg });
      });
    },
  };
}
