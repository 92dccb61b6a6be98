// In-process CPU per cell of voro++ (issue 20, item 3): the reference side of `glassml`'s bench `voronoi-cells`.
// Reads a voro++ input file ("id x y z" per line) in a periodic orthogonal box, then, repeated after one warm-up, builds
// the container (blocks chosen as the voro++ command line does: pre_container::guess_optimal) and computes every cell
// with neighbour information, keeping what GlassML's tessellation keeps per cell: the volume, and per face the neighbour,
// the area and the number of edges. Prints the process CPU time per repeat and per cell (1 thread) and a checksum.
// With "radical" the file has a fifth column, the atom's radius, and the cells are radical (power) cells (container_poly).
// Build and run: tools/voro_percell.sh (needs Debian's voro++-dev).
// Usage: voro_percell XLO XHI YLO YHI ZLO ZHI FILE [REPEATS] [radical]
#include <cstdio>
#include <cstdlib>
#include <string>
#include <ctime>
#include <vector>
#include "voro++/voro++.hh"
using namespace voro;

static double cpu_seconds() {
    timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

struct Atoms { std::vector<int> id; std::vector<double> x, y, z, r; };

static void put(container& con, const Atoms& a, int i) { con.put(a.id[i], a.x[i], a.y[i], a.z[i]); }
static void put(container_poly& con, const Atoms& a, int i) { con.put(a.id[i], a.x[i], a.y[i], a.z[i], a.r[i]); }

// one tessellation per repeat (the first a warm-up): container built and filled, every cell computed and kept
template <class Container>
static int run(const double* b, const Atoms& a, int nx, int ny, int nz, int repeats) {
    const int n = (int)a.id.size();
    std::vector<double> volume(n);
    std::vector<int> offsets, nbOut, edgesOut;
    std::vector<double> areaOut;
    std::vector<int> nb, orders;
    std::vector<double> areas;
    double best = 1e300, checksum = 0;
    for (int r = 0; r <= repeats; r++) {
        double t0 = cpu_seconds();
        Container con(b[0], b[1], b[2], b[3], b[4], b[5], nx, ny, nz, true, true, true, 8);
        for (int i = 0; i < n; i++) put(con, a, i);
        offsets.clear(); nbOut.clear(); edgesOut.clear(); areaOut.clear();
        offsets.reserve(n + 1); nbOut.reserve(16 * (size_t)n); edgesOut.reserve(16 * (size_t)n); areaOut.reserve(16 * (size_t)n);
        voronoicell_neighbor c;
        c_loop_all cl(con);
        int k = 0;
        if (cl.start()) do if (con.compute_cell(c, cl)) {
            volume[k++] = c.volume();
            c.neighbors(nb); c.face_areas(areas); c.face_orders(orders);
            offsets.push_back((int)nbOut.size());
            nbOut.insert(nbOut.end(), nb.begin(), nb.end());
            areaOut.insert(areaOut.end(), areas.begin(), areas.end());
            edgesOut.insert(edgesOut.end(), orders.begin(), orders.end());
        } while (cl.inc());
        double cpu = cpu_seconds() - t0;
        if (r == 0) {
            checksum = 0;
            for (int i = 0; i < k; i++) checksum += volume[i];
            std::printf("%d atoms, %d cells, %zu faces, blocks %d x %d x %d, total volume %.6f\n", n, k, nbOut.size(), nx, ny, nz, checksum);
            continue;  // warm-up
        }
        if (cpu < best) best = cpu;
        std::printf("%d atoms: CPU %.3f s (%.2f us/cell)\n", n, cpu, 1e6 * cpu / n);
    }
    std::printf("best CPU %.3f s = %.2f us per cell (1 thread)\n", best, 1e6 * best / n);
    return 0;
}

int main(int argc, char** argv) {
    if (argc < 8) { std::fprintf(stderr, "usage: voro_percell XLO XHI YLO YHI ZLO ZHI FILE [REPEATS] [radical]\n"); return 2; }
    double b[6];
    for (int k = 0; k < 6; k++) b[k] = std::atof(argv[1 + k]);
    int repeats = argc > 8 ? std::atoi(argv[8]) : 5;
    bool radical = argc > 9 && std::string(argv[9]) == "radical";
    Atoms a;
    {
        FILE* f = std::fopen(argv[7], "r");
        if (!f) { std::perror(argv[7]); return 2; }
        int i; double u, v, w, r = 0;
        while (std::fscanf(f, "%d %lf %lf %lf", &i, &u, &v, &w) == 4 && (!radical || std::fscanf(f, "%lf", &r) == 1)) {
            a.id.push_back(i); a.x.push_back(u); a.y.push_back(v); a.z.push_back(w); a.r.push_back(r);
        }
        std::fclose(f);
    }
    int nx, ny, nz;
    if (radical) {
        pre_container_poly pcon(b[0], b[1], b[2], b[3], b[4], b[5], true, true, true);
        for (size_t i = 0; i < a.id.size(); i++) pcon.put(a.id[i], a.x[i], a.y[i], a.z[i], a.r[i]);
        pcon.guess_optimal(nx, ny, nz);
        return run<container_poly>(b, a, nx, ny, nz, repeats);
    }
    pre_container pcon(b[0], b[1], b[2], b[3], b[4], b[5], true, true, true);
    for (size_t i = 0; i < a.id.size(); i++) pcon.put(a.id[i], a.x[i], a.y[i], a.z[i]);
    pcon.guess_optimal(nx, ny, nz);
    return run<container>(b, a, nx, ny, nz, repeats);
}
