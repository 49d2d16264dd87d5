/// <reference types="office-js" />
/**
 * The `Office` global of the fake host: onReady, requirement-set checks, HostType/PlatformType (with the
 * string values office.js uses at runtime: Office.HostType.Excel === 'Excel').
 */
import type { FakeExcelEngine } from './request';

export type FakePlatform = 'PC' | 'OfficeOnline' | 'Mac' | 'iOS' | 'Android' | 'Universal';

export interface FakeOffice {
  onReady(callback?: (info: { host: Office.HostType; platform: Office.PlatformType }) => unknown): Promise<{ host: Office.HostType; platform: Office.PlatformType }>;
  HostType: typeof Office.HostType;
  PlatformType: typeof Office.PlatformType;
  context: {
    host: Office.HostType;
    platform: Office.PlatformType;
    displayLanguage: string;
    contentLanguage: string;
    diagnostics: { host: Office.HostType; platform: Office.PlatformType; version: string };
    requirements: { isSetSupported(name: string, minVersion?: string | number): boolean };
  };
  /** Legacy initialisation callback; called (if set) when onReady resolves the first time. */
  initialize?: (reason: unknown) => void;
}

const HOST_TYPE = { Word: 'Word', Excel: 'Excel', PowerPoint: 'PowerPoint', Outlook: 'Outlook', OneNote: 'OneNote', Project: 'Project', Access: 'Access' };
const PLATFORM_TYPE = { PC: 'PC', OfficeOnline: 'OfficeOnline', Mac: 'Mac', iOS: 'iOS', Android: 'Android', Universal: 'Universal' };

export function createOffice(engine: FakeExcelEngine, platform: FakePlatform): FakeOffice {
  const host = 'Excel' as unknown as Office.HostType;
  const plat = platform as unknown as Office.PlatformType;
  let initialized = false;
  const office: FakeOffice = {
    HostType: HOST_TYPE as unknown as typeof Office.HostType,
    PlatformType: PLATFORM_TYPE as unknown as typeof Office.PlatformType,
    context: {
      host,
      platform: plat,
      displayLanguage: 'en-US',
      contentLanguage: 'en-US',
      diagnostics: { host, platform: plat, version: '16.0.0.0' },
      requirements: {
        isSetSupported(name: string, minVersion?: string | number): boolean {
          if (String(name).toLowerCase() !== 'excelapi') return false;
          return minVersion === undefined || engine.supportsExcelApi(minVersion);
        },
      },
    },
    async onReady(callback) {
      await Promise.resolve();
      if (!initialized) {
        initialized = true;
        office.initialize?.('Inserted');
      }
      const info = { host, platform: plat };
      if (callback) callback(info);
      return info;
    },
  };
  return office;
}
