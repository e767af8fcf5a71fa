/*
 * A stand-in for libnvidia-ml.so.1 used by the agent's tests. It implements exactly the NVML
 * functions the agent's JNA binding calls, with fixed, known answers, plus a few nvmlStub*
 * control functions the tests call. Types follow nvml.h.
 *
 * Build: gcc -shared -fPIC -Wl,-soname,libnvidia-ml.so.1 -o libnvidia-ml.so.1 nvml_stub.c
 *
 * GPU 0: every field, values above 2^32 where the type is 64-bit, a throttle mask with bit 40.
 * GPU 1: power, power limit and ECC answer NVML_ERROR_NOT_SUPPORTED.
 * Two XID events (79 on GPU 0, 48 on GPU 1) are delivered once, to devices registered for them.
 */
#include <stddef.h>
#include <string.h>

typedef int nvmlReturn_t;
typedef struct nvmlDevice_st *nvmlDevice_t;
typedef struct nvmlEventSet_st *nvmlEventSet_t;

typedef struct {
	unsigned int gpu;
	unsigned int memory;
} nvmlUtilization_t;

typedef struct {
	unsigned long long total;
	unsigned long long free;
	unsigned long long used;
} nvmlMemory_t;

typedef struct {
	nvmlDevice_t device;
	unsigned long long eventType;
	unsigned long long eventData;
	unsigned int gpuInstanceId;
	unsigned int computeInstanceId;
} nvmlEventData_t;

_Static_assert(sizeof(nvmlEventData_t) == 32, "nvmlEventData_t layout");
_Static_assert(sizeof(nvmlMemory_t) == 24, "nvmlMemory_t layout");

#define NVML_SUCCESS 0
#define NVML_ERROR_UNINITIALIZED 1
#define NVML_ERROR_INVALID_ARGUMENT 2
#define NVML_ERROR_NOT_SUPPORTED 3
#define NVML_ERROR_INSUFFICIENT_SIZE 7
#define NVML_ERROR_DRIVER_NOT_LOADED 9
#define NVML_ERROR_TIMEOUT 10
#define NVML_ERROR_GPU_IS_LOST 15
#define NVML_EVENT_TYPE_XID_CRITICAL_ERROR 0x8ULL

struct nvmlDevice_st {
	int index;
	const char *uuid;
	const char *name;
	unsigned int util_gpu, util_memory;
	unsigned long long mem_total, mem_used;
	unsigned int temperature;
	int power_supported;
	unsigned int power_mw, power_limit_mw;
	int ecc_supported;
	unsigned long long ecc_uncorrected_volatile;
	unsigned long long throttle_mask;
	unsigned long long registered_events;
};

struct nvmlEventSet_st {
	int live;
};

static struct nvmlDevice_st devices[2] = {
	{0, "GPU-0a1b2c3d-0000-4000-8000-000000000000", "NVIDIA H100 80GB HBM3", 87, 45,
	 85899345920ULL, 42949672960ULL, 71, 1, 312500, 700000, 1, 4294967301ULL,
	 0x0000010000000044ULL, 0},
	{1, "GPU-0a1b2c3d-1111-4111-8111-111111111111", "NVIDIA A100-SXM4-40GB", 3, 1,
	 42949672960ULL, 1073741824ULL, 34, 0, 0, 0, 0, 0, 0x1ULL, 0},
};

static struct {
	int device;
	unsigned long long xid;
} xid_queue[2] = {{0, 79}, {1, 48}};

static struct nvmlEventSet_st event_set;
static nvmlReturn_t init_result = NVML_SUCCESS;
static int init_depth = 0;
static int event_sets_live = 0;
static int xid_next = 0;
static unsigned int device_count = 2;

/* ---- test controls ---------------------------------------------------------------------- */

void nvmlStubReset(void)
{
	init_result = NVML_SUCCESS;
	init_depth = 0;
	event_sets_live = 0;
	event_set.live = 0;
	xid_next = 0;
	device_count = 2;
	devices[0].registered_events = 0;
	devices[1].registered_events = 0;
}

void nvmlStubSetInitResult(int result) { init_result = result; }

/* More than 2 makes the extra indexes answer NVML_ERROR_GPU_IS_LOST. */
void nvmlStubSetDeviceCount(unsigned int count) { device_count = count; }

int nvmlStubInitDepth(void) { return init_depth; }

int nvmlStubEventSetsLive(void) { return event_sets_live; }

/* ---- NVML ------------------------------------------------------------------------------- */

static nvmlReturn_t device_ok(nvmlDevice_t d)
{
	if (init_depth <= 0)
		return NVML_ERROR_UNINITIALIZED;
	if (d != &devices[0] && d != &devices[1])
		return NVML_ERROR_INVALID_ARGUMENT;
	return NVML_SUCCESS;
}

static nvmlReturn_t copy_text(const char *text, char *buf, unsigned int length)
{
	if (buf == NULL)
		return NVML_ERROR_INVALID_ARGUMENT;
	if (strlen(text) + 1 > length)
		return NVML_ERROR_INSUFFICIENT_SIZE;
	strcpy(buf, text);
	return NVML_SUCCESS;
}

nvmlReturn_t nvmlInit_v2(void)
{
	if (init_result != NVML_SUCCESS)
		return init_result;
	init_depth++;
	return NVML_SUCCESS;
}

nvmlReturn_t nvmlShutdown(void)
{
	if (init_depth <= 0)
		return NVML_ERROR_UNINITIALIZED;
	init_depth--;
	return NVML_SUCCESS;
}

const char *nvmlErrorString(nvmlReturn_t result)
{
	switch (result) {
	case NVML_SUCCESS: return "Success";
	case NVML_ERROR_UNINITIALIZED: return "Uninitialized";
	case NVML_ERROR_INVALID_ARGUMENT: return "Invalid Argument";
	case NVML_ERROR_NOT_SUPPORTED: return "Not Supported";
	case NVML_ERROR_INSUFFICIENT_SIZE: return "Insufficient Size";
	case NVML_ERROR_DRIVER_NOT_LOADED: return "Driver Not Loaded";
	case NVML_ERROR_TIMEOUT: return "Timeout";
	case NVML_ERROR_GPU_IS_LOST: return "GPU is lost";
	default: return "Unknown Error";
	}
}

nvmlReturn_t nvmlSystemGetDriverVersion(char *version, unsigned int length)
{
	if (init_depth <= 0)
		return NVML_ERROR_UNINITIALIZED;
	return copy_text("550.54.15", version, length);
}

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count)
{
	if (init_depth <= 0)
		return NVML_ERROR_UNINITIALIZED;
	if (count == NULL)
		return NVML_ERROR_INVALID_ARGUMENT;
	*count = device_count;
	return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device)
{
	if (init_depth <= 0)
		return NVML_ERROR_UNINITIALIZED;
	if (device == NULL || index >= device_count)
		return NVML_ERROR_INVALID_ARGUMENT;
	if (index >= 2)
		return NVML_ERROR_GPU_IS_LOST;
	*device = &devices[index];
	return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char *uuid, unsigned int length)
{
	nvmlReturn_t rc = device_ok(device);
	return rc != NVML_SUCCESS ? rc : copy_text(device->uuid, uuid, length);
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length)
{
	nvmlReturn_t rc = device_ok(device);
	return rc != NVML_SUCCESS ? rc : copy_text(device->name, name, length);
}

nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t device, nvmlUtilization_t *utilization)
{
	nvmlReturn_t rc = device_ok(device);
	if (rc != NVML_SUCCESS)
		return rc;
	utilization->gpu = device->util_gpu;
	utilization->memory = device->util_memory;
	return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t *memory)
{
	nvmlReturn_t rc = device_ok(device);
	if (rc != NVML_SUCCESS)
		return rc;
	memory->total = device->mem_total;
	memory->used = device->mem_used;
	memory->free = device->mem_total - device->mem_used;
	return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t device, int sensorType, unsigned int *temp)
{
	nvmlReturn_t rc = device_ok(device);
	if (rc != NVML_SUCCESS)
		return rc;
	if (sensorType != 0 || temp == NULL)
		return NVML_ERROR_INVALID_ARGUMENT;
	*temp = device->temperature;
	return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t device, unsigned int *power)
{
	nvmlReturn_t rc = device_ok(device);
	if (rc != NVML_SUCCESS)
		return rc;
	if (!device->power_supported)
		return NVML_ERROR_NOT_SUPPORTED;
	*power = device->power_mw;
	return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetEnforcedPowerLimit(nvmlDevice_t device, unsigned int *limit)
{
	nvmlReturn_t rc = device_ok(device);
	if (rc != NVML_SUCCESS)
		return rc;
	if (!device->power_supported)
		return NVML_ERROR_NOT_SUPPORTED;
	*limit = device->power_limit_mw;
	return NVML_SUCCESS;
}

/* errorType 1 = NVML_MEMORY_ERROR_TYPE_UNCORRECTED, counterType 0 = NVML_VOLATILE_ECC */
nvmlReturn_t nvmlDeviceGetTotalEccErrors(nvmlDevice_t device, int errorType, int counterType,
					 unsigned long long *eccCounts)
{
	nvmlReturn_t rc = device_ok(device);
	if (rc != NVML_SUCCESS)
		return rc;
	if (!device->ecc_supported)
		return NVML_ERROR_NOT_SUPPORTED;
	if (errorType != 1 || counterType != 0 || eccCounts == NULL)
		return NVML_ERROR_INVALID_ARGUMENT;
	*eccCounts = device->ecc_uncorrected_volatile;
	return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetCurrentClocksThrottleReasons(nvmlDevice_t device,
						       unsigned long long *clocksThrottleReasons)
{
	nvmlReturn_t rc = device_ok(device);
	if (rc != NVML_SUCCESS)
		return rc;
	*clocksThrottleReasons = device->throttle_mask;
	return NVML_SUCCESS;
}

nvmlReturn_t nvmlEventSetCreate(nvmlEventSet_t *set)
{
	if (init_depth <= 0)
		return NVML_ERROR_UNINITIALIZED;
	if (set == NULL)
		return NVML_ERROR_INVALID_ARGUMENT;
	event_set.live = 1;
	event_sets_live++;
	*set = &event_set;
	return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceRegisterEvents(nvmlDevice_t device, unsigned long long eventTypes,
				      nvmlEventSet_t set)
{
	nvmlReturn_t rc = device_ok(device);
	if (rc != NVML_SUCCESS)
		return rc;
	if (set != &event_set || !event_set.live)
		return NVML_ERROR_INVALID_ARGUMENT;
	device->registered_events |= eventTypes;
	return NVML_SUCCESS;
}

nvmlReturn_t nvmlEventSetWait_v2(nvmlEventSet_t set, nvmlEventData_t *data, unsigned int timeoutms)
{
	(void)timeoutms;
	if (init_depth <= 0)
		return NVML_ERROR_UNINITIALIZED;
	if (set != &event_set || !event_set.live || data == NULL)
		return NVML_ERROR_INVALID_ARGUMENT;
	while (xid_next < 2) {
		struct nvmlDevice_st *d = &devices[xid_queue[xid_next].device];
		unsigned long long xid = xid_queue[xid_next].xid;
		xid_next++;
		if (d->registered_events & NVML_EVENT_TYPE_XID_CRITICAL_ERROR) {
			data->device = d;
			data->eventType = NVML_EVENT_TYPE_XID_CRITICAL_ERROR;
			data->eventData = xid;
			data->gpuInstanceId = 0xFFFFFFFFu;
			data->computeInstanceId = 0xFFFFFFFFu;
			return NVML_SUCCESS;
		}
	}
	return NVML_ERROR_TIMEOUT;
}

nvmlReturn_t nvmlEventSetFree(nvmlEventSet_t set)
{
	if (set != &event_set || !event_set.live)
		return NVML_ERROR_INVALID_ARGUMENT;
	event_set.live = 0;
	event_sets_live--;
	return NVML_SUCCESS;
}
