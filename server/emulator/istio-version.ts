/** The Istio release the emulated mesh plays (images, istioctl, Kiali's status): one number everywhere. */
export const ISTIO_VERSION = '1.25.2';
